/** `clients detect`: detect on this machine (`--home`), or on a target's host through its session. */
import { type Detection, detectClients } from '../../clients/detect.js';
import { McpGitopsError } from '../../core/errors.js';
import { createEngineDeps } from '../../engine/default-deps.js';
import { openSession } from '../../engine/target-session.js';
import { LocalHost } from '../../hosts/local-host.js';
import type { Host } from '../../hosts/types.js';

export interface DetectFlags {
  env?: string;
  target?: string;
  home?: string;
  format: 'text' | 'json';
}

export async function runClientsDetect(repo: string | undefined, flags: DetectFlags): Promise<void> {
  if ((flags.env === undefined) !== (flags.target === undefined) || (flags.target && flags.home)) {
    throw new McpGitopsError('ERR_USAGE', 'clients detect takes --env and --target together, or --home', {
      hint: 'mcp-gitops clients detect --env dev --target laptop   |   mcp-gitops clients detect --home ~',
    });
  }
  let host: Host;
  let where = 'local';
  if (flags.env && flags.target) {
    const [{ resolveRepoOption }, { loadForTools }] = await Promise.all([
      import('../../config/find-repo-root.js'),
      import('./tools-live.js'),
    ]);
    const root = resolveRepoOption(repo);
    const { desired } = await loadForTools(root, flags.env);
    const env = desired.environments.find((e) => e.name === flags.env);
    const target = env?.targets.find((t) => t.name === flags.target);
    if (!env || !target) {
      throw new McpGitopsError('ERR_USAGE', `no target "${flags.target}" in environment "${flags.env}"`, {
        hint: `targets: ${env?.targets.map((t) => t.name).join(', ') || '(none)'}`,
      });
    }
    const session = openSession(env, target, createEngineDeps(root));
    if (!session.ctx) throw new McpGitopsError('ERR_HOST', session.error ?? 'the target could not be opened');
    host = session.ctx.host;
    where = `${env.name}/${target.name} (${host.id})`;
  } else {
    host = new LocalHost({ home: flags.home });
  }
  let found: Detection[];
  let home: string | undefined;
  try {
    home = await host.home();
    found = await detectClients(host);
  } finally {
    await host.close();
  }
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ host: where, home, clients: found }, null, 2)}\n`);
    return;
  }
  const width = Math.max(...found.map((d) => d.id.length));
  const lines = found.map(
    (d) =>
      `${d.id.padEnd(width)}  ${d.installed ? 'installed    ' : 'not installed'}  ${d.installed ? d.evidence[0] : `(no ${d.evidence.join(' or ') || 'user-scope file'})`}`,
  );
  const count = found.filter((d) => d.installed).length;
  process.stdout.write(
    `MCP clients on ${where}: ${count} of ${found.length} installed\n${lines.join('\n')}\n`,
  );
}
