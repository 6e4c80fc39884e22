/**
 * An MCP stdio endpoint that runs on an ssh host: the reconciler's stdio client spawns the local
 * `ssh` (through the host's control master when multiplexed) whose remote command is the server's
 * command, so the handshake and `tools/list` run against the process on the host itself. Every
 * word is quoted; environment values never go on a command line: they are written to a 0600
 * file on the host (`<home>/.mcp-gitops/verify/<hash>.env`, content-addressed, so repeated
 * verifications rewrite nothing new) which the remote shell sources before `exec`.
 */
import { createHash } from 'node:crypto';
import { exportEnv, quote } from '../hosts/ssh/quote.js';
import { execScript } from '../hosts/ssh/remote-scripts.js';
import type { SshHost } from '../hosts/ssh/ssh-host.js';
import type { Host } from '../hosts/types.js';
import type { Endpoint } from './types.js';

export interface RemoteCommand {
  command: string;
  args: readonly string[];
  env?: Readonly<Record<string, string>>;
  cwd?: string;
}

export function isSshHost(host: Host): host is SshHost {
  return host.kind === 'ssh' && typeof (host as Partial<SshHost>).streamArgv === 'function';
}

export async function sshStdioEndpoint(
  host: SshHost,
  remote: RemoteCommand,
  label: string,
): Promise<Extract<Endpoint, { kind: 'stdio' }>> {
  const parts: string[] = [];
  const env = remote.env ?? {};
  if (Object.keys(env).length > 0) {
    const content = `${exportEnv(env)}\n`;
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
    const file = await host.expand(`~/.mcp-gitops/verify/${hash}.env`);
    if (!(await host.exists(file))) await host.writeFile(file, content, { mode: 0o600 });
    parts.push(`. ${quote(file)} || exit 1`);
  }
  parts.push(execScript(remote.command, remote.args, { cwd: remote.cwd }));
  const [command, ...args] = await host.streamArgv(parts.join('\n'));
  return { kind: 'stdio', command: command!, args, env: {}, display: label };
}
