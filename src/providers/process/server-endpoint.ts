/**
 * Where the reconciler speaks MCP to a server the process provider runs. On the local host that
 * is `listenHost` (a wildcard means 127.0.0.1). On an ssh host it is the host's own address when
 * the server listens on a wildcard, or `listenHost` when that is a specific address; a server on
 * the remote machine's loopback (the safe default) cannot be reached from here, so it is not
 * verified (undefined) rather than verified against this machine by mistake. `exited` lets
 * verification give up at once, with the log's last lines, when the process has died.
 */
import type { DesiredServer } from '../../core/state.js';
import { parseSshUrl } from '../../hosts/ssh/parse-ssh-url.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { processSettings, resolveLayout } from './process-settings.js';
import { readInventory } from './read-inventory.js';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function serverEndpoint(ctx: ProviderContext, server: DesiredServer): Endpoint | undefined {
  const { port, transport } = server.spec;
  if (port === undefined) return undefined;
  const listenHost = processSettings(ctx.target.settings).listenHost;
  let address: string;
  if (ctx.host.kind === 'local') address = WILDCARD_HOSTS.has(listenHost) ? '127.0.0.1' : listenHost;
  else if (WILDCARD_HOSTS.has(listenHost)) address = parseSshUrl(ctx.host.id).host;
  else if (LOOPBACK.test(listenHost)) return undefined;
  else address = listenHost;
  const path = server.spec.path ?? (transport === 'sse' ? '/sse' : '/mcp');
  const authority = address.includes(':') ? `[${address}]` : address;
  return {
    kind: 'http',
    url: `http://${authority}:${port}${path.startsWith('/') ? path : `/${path}`}`,
    transport: transport === 'sse' ? 'sse' : 'streamable-http',
    exited: () => processExited(ctx, server.name),
  };
}

/** Why the server's process is gone (with the end of its log), or undefined if it runs or has no pid yet. */
export async function processExited(ctx: ProviderContext, name: string): Promise<string | undefined> {
  const layout = await resolveLayout(ctx.host, processSettings(ctx.target.settings), ctx.environment.name);
  const entry = (await readInventory(ctx.host, layout)).find((e) => e.name === name);
  if (!entry || entry.running || entry.pid === undefined) return undefined;
  const tail = await ctx.host.exec('tail', ['-n', '5', layout.server(name).log], { timeoutMs: 10_000 });
  const lines = tail.exitCode === 0 ? tail.stdout.trim().split('\n').join(' | ') : '';
  return `server process ${entry.pid} exited${lines ? `; last log lines: ${lines}` : ''}`;
}
