/**
 * Turns a desired server into what a supervisor runs: the program (an installed npm package's
 * bin, or a command as given), the launcher arguments, and a minimal fixed environment.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { DesiredServer } from '../../core/state.js';
import type { Host } from '../../hosts/types.js';
import { installPackage } from './install-package.js';
import { type Layout, LOG_KEEP, type ProcessSettings } from './process-settings.js';
import type { LaunchSpec } from './supervisor.js';

export interface PreparedLaunch {
  launch: LaunchSpec;
  version?: string;
  command: string[];
}

export async function prepareLaunch(
  host: Host,
  layout: Layout,
  node: string,
  names: { environment: string; server: DesiredServer },
  settings: Pick<ProcessSettings, 'listenHost' | 'logMaxBytes'>,
  /** Progress lines about this server (the npm install). */
  progress?: (text: string, ongoing?: string) => void,
): Promise<PreparedLaunch> {
  const { server, environment } = names;
  const spec = server.spec;
  if (spec.port === undefined) {
    throw new McpGitopsError('ERR_PROVIDER', `server "${server.name}" has no port`, {
      hint: 'set spec.port (and tell the server, e.g. env PORT: "{{server.port}}")',
    });
  }
  let program: string;
  let args: string[];
  let version: string | undefined;
  if (spec.package) {
    if (spec.package.registryType !== 'npm') {
      throw new McpGitopsError(
        'ERR_PROVIDER',
        `server "${server.name}": ${spec.package.registryType} packages are not supported by the process provider`,
      );
    }
    const installed = await installPackage(
      host,
      layout.packageDir(spec.package.identifier, spec.package.version),
      spec.package.identifier,
      spec.package.version,
      progress,
    );
    program = installed.bin;
    args = [...(spec.package.packageArguments ?? [])];
    version = installed.version;
  } else if (spec.command) {
    program = await host.expand(spec.command.path);
    args = [...(spec.command.args ?? [])];
  } else {
    throw new McpGitopsError(
      'ERR_PROVIDER',
      `server "${server.name}" has neither package nor command to run`,
    );
  }
  const paths = layout.server(server.name);
  const nodeDir = node.slice(0, node.lastIndexOf('/'));
  const launch: LaunchSpec = {
    node,
    launcher: layout.launcher,
    runArgs: [
      '--env-file',
      paths.env,
      '--listen-host',
      settings.listenHost,
      '--state',
      paths.state,
      '--port',
      String(spec.port),
      '--log',
      paths.log,
      '--log-max-bytes',
      String(settings.logMaxBytes),
      '--log-keep',
      String(LOG_KEEP),
      '--',
      program,
      ...args,
    ],
    paths,
    unit: `mcp-gitops-${environment}-${server.name}`,
    env: {
      PATH: `${nodeDir}:/usr/local/bin:/usr/bin:/bin`,
      HOME: await host.home(),
      LANG: 'C.UTF-8',
      MCP_GITOPS_SERVER: `${environment}/${server.name}`,
    },
  };
  return { launch, version, command: [program, ...args] };
}
