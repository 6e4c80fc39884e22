/**
 * The Engine API client of a target. On `host: local` it speaks to the socket directly. On an
 * `ssh://` host it speaks to a local unix socket the host's ssh control master forwards to the
 * engine's socket there (one forward per run and socket, reused by observe, apply and
 * verification, removed when the host closes). Before the first forward the socket is checked on
 * the host, so a missing socket or one the ssh user may not use is a clear reason rather than a
 * connection closed mid-request.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';
import { isSshHost } from '../ssh-stdio-endpoint.js';
import type { ProviderContext } from '../types.js';
import { containerSettings } from './container-settings.js';
import { EngineClient } from './engine-client.js';

const CHECK_SCRIPT =
  'if [ ! -e "$1" ]; then exit 3; fi; if [ ! -S "$1" ]; then exit 4; fi; ' +
  'if [ ! -r "$1" ] || [ ! -w "$1" ]; then exit 5; fi';
const CHECK_TIMEOUT_MS = 15_000;

/** Remote sockets already found usable, per host (a host lives for one run). */
const checked = new WeakMap<Host, Set<string>>();

export async function engineClient(ctx: ProviderContext): Promise<EngineClient> {
  const settings = containerSettings(ctx.target.settings);
  const host = ctx.host;
  if (!isSshHost(host)) return new EngineClient(settings.socketPath);
  const remote = settings.socketPath;
  const known = checked.get(host) ?? new Set<string>();
  if (!known.has(remote)) {
    await checkRemoteSocket(host, remote);
    known.add(remote);
    checked.set(host, known);
  }
  const forward = await host.forwardSocket(remote);
  return new EngineClient(forward.localPath, `${remote} on ${host.id}`);
}

async function checkRemoteSocket(host: Host, socket: string): Promise<void> {
  const r = await host.exec('sh', ['-c', CHECK_SCRIPT, 'sh', socket], { timeoutMs: CHECK_TIMEOUT_MS });
  if (r.exitCode === 0) return;
  const where = `${socket} on ${host.id}`;
  const user = /^ssh:\/\/([^@]+)@/.exec(host.id)?.[1] ?? 'the ssh user';
  switch (r.exitCode) {
    case 3:
      throw new McpGitopsError('ERR_HOST', `container engine socket ${where} does not exist`, {
        hint:
          'start the engine there (Docker; Podman: `systemctl enable --now podman.socket`, rootless ' +
          "`systemctl --user enable --now podman.socket`) or set the target's `socket` to its path on that host",
      });
    case 4:
      throw new McpGitopsError('ERR_HOST', `container engine socket ${where} is not a unix socket`, {
        hint: "set the target's `socket` to the engine's unix socket on that host",
      });
    case 5:
      throw new McpGitopsError('ERR_HOST', `${user} may not use the container engine socket ${where}`, {
        hint:
          'give the ssh user access (Docker: the docker group) or point `socket` at a socket it owns ' +
          '(rootless Podman: /run/user/<uid>/podman/podman.sock)',
      });
    default:
      throw new McpGitopsError(
        'ERR_HOST',
        `cannot check the container engine socket ${where}: exit code ${r.exitCode}`,
        { hint: r.stderr.trim().split('\n').pop() || 'run `test -S SOCKET` on the host by hand' },
      );
  }
}
