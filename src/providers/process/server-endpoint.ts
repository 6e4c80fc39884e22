/**
 * Where the reconciler speaks MCP to a server the process provider runs. On the local host that
 * is `listenHost` (a wildcard means 127.0.0.1). On an ssh host it is the host's own address when
 * the server listens on a wildcard, or `listenHost` when that is a specific address — over the
 * network, when that port answers from here. When it does not (a firewall, or a server on the
 * remote machine's loopback, the safe default), the check runs on the host instead: a stdio
 * endpoint through ssh to a small bridge (`http-bridge-script.ts`) that relays the reconciler's
 * MCP session to the server's loopback URL. `exited` lets direct verification give up at once,
 * with the log's last lines, when the process has died.
 */
import type { DesiredServer } from '../../core/state.js';
import { parseSshUrl } from '../../hosts/ssh/parse-ssh-url.js';
import { isSshHost, sshStdioEndpoint } from '../ssh-stdio-endpoint.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { HTTP_BRIDGE_SCRIPT } from './http-bridge-script.js';
import { processSettings, resolveLayout } from './process-settings.js';
import { reachableFromHere } from './reachable-from-here.js';
import { hostNode, readInventory } from './read-inventory.js';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
/** How long the bridge waits for a refused port (a server still starting). */
const BRIDGE_WAIT_MS = 10_000;

export async function serverEndpoint(
  ctx: ProviderContext,
  server: DesiredServer,
): Promise<Endpoint | undefined> {
  const { port, transport } = server.spec;
  if (port === undefined) return undefined;
  const listenHost = processSettings(ctx.target.settings).listenHost;
  const path = server.spec.path ?? (transport === 'sse' ? '/sse' : '/mcp');
  const urlPath = path.startsWith('/') ? path : `/${path}`;
  const httpTransport = transport === 'sse' ? 'sse' : 'streamable-http';
  const exited = () => processExited(ctx, server.name);
  if (ctx.host.kind === 'local') {
    const address = WILDCARD_HOSTS.has(listenHost) ? '127.0.0.1' : listenHost;
    return { kind: 'http', url: httpUrl(address, port, urlPath), transport: httpTransport, exited };
  }
  const address = WILDCARD_HOSTS.has(listenHost)
    ? parseSshUrl(ctx.host.id).host
    : LOOPBACK.test(listenHost)
      ? undefined
      : listenHost;
  if (address !== undefined && (await reachableFromHere(address, port))) {
    return { kind: 'http', url: httpUrl(address, port, urlPath), transport: httpTransport, exited };
  }
  // The bridge speaks streamable HTTP only; an SSE server that cannot be reached is not verified.
  if (!isSshHost(ctx.host) || httpTransport !== 'streamable-http') return undefined;
  const onHost = WILDCARD_HOSTS.has(listenHost) || LOOPBACK.test(listenHost) ? '127.0.0.1' : listenHost;
  const url = httpUrl(onHost, port, urlPath);
  const layout = await resolveLayout(ctx.host, processSettings(ctx.target.settings), ctx.environment.name);
  const bridge = `${layout.baseDir}/lib/mcp-http-bridge.cjs`;
  if ((await ctx.host.readFile(bridge)) !== HTTP_BRIDGE_SCRIPT) {
    await ctx.host.writeFile(bridge, HTTP_BRIDGE_SCRIPT, { mode: 0o644 });
  }
  const node = await hostNode(ctx.host);
  return sshStdioEndpoint(
    ctx.host,
    { command: node, args: [bridge, url, String(BRIDGE_WAIT_MS)] },
    `${url} on ${ctx.host.id} (through ssh)`,
  );
}

function httpUrl(address: string, port: number, path: string): string {
  const authority = address.includes(':') ? `[${address}]` : address;
  return `http://${authority}:${port}${path}`;
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
