/**
 * Where the reconciler speaks MCP to a server the process provider runs. On the local host that
 * is `listenHost` (a wildcard means 127.0.0.1). On an ssh host it is the host's own address when
 * the server listens on a wildcard, or `listenHost` when that is a specific address — over the
 * network, when that port answers from here. When it does not (a firewall, or a server on the
 * remote machine's loopback, the safe default), the check runs on the host instead: a stdio
 * endpoint through ssh to a small bridge (`http-bridge-script.ts`) that relays the reconciler's
 * MCP session to the server's loopback URL. `exited` lets direct verification give up at once,
 * with the log's last lines, when the process has died or keeps dying.
 *
 * Verification must reach the process mcp-gitops started, not whatever else listens on the port:
 * before handing out an endpoint, the host is asked who holds the server's listening socket
 * (host-proc-script.ts; on the local host from a listener table that the checks of the same
 * moment share, listener-snapshot.ts); one held by a process outside the server's launcher tree is a failed
 * start with that reason (thrown: the engine reports it and rolls back as for any failed
 * verification). Because the port may be taken after this check (two servers starting at once),
 * `notOurs` asks again after a successful handshake, and the ssh bridge checks on the host before
 * relaying the first answer.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { DesiredServer } from '../../core/state.js';
import { parseSshUrl } from '../../hosts/ssh/parse-ssh-url.js';
import { redactor } from '../../log/redact.js';
import { isSshHost, sshStdioEndpoint } from '../ssh-stdio-endpoint.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { HTTP_BRIDGE_SCRIPT } from './http-bridge-script.js';
import { describeDown } from './launcher-state.js';
import { type ListeningSocket, recentListeners } from './listener-snapshot.js';
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
  // Before connecting, a listener table read a moment ago for another server's check will do
  // (listener-snapshot.ts); a foreign holder it shows is asked about again, freshly.
  const shared = recentListeners(ctx.host, port);
  const taken =
    shared && (await portTakenBy(ctx, server.name, shared)) === undefined
      ? undefined
      : await portTakenBy(ctx, server.name);
  if (taken) throw new McpGitopsError('ERR_PROVIDER', taken);
  const exited = () => processExited(ctx, server.name);
  const notOurs = () => portTakenBy(ctx, server.name);
  const hooks = { exited, notOurs };
  if (ctx.host.kind === 'local') {
    const address = WILDCARD_HOSTS.has(listenHost) ? '127.0.0.1' : listenHost;
    return { kind: 'http', url: httpUrl(address, port, urlPath), transport: httpTransport, ...hooks };
  }
  const address = WILDCARD_HOSTS.has(listenHost)
    ? parseSshUrl(ctx.host.id).host
    : LOOPBACK.test(listenHost)
      ? undefined
      : listenHost;
  if (address !== undefined && (await reachableFromHere(address, port))) {
    return { kind: 'http', url: httpUrl(address, port, urlPath), transport: httpTransport, ...hooks };
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
  const { pid, state } = layout.server(server.name);
  const owner = [pid, state, String(port), listenHost];
  return sshStdioEndpoint(
    ctx.host,
    { command: node, args: [bridge, url, String(BRIDGE_WAIT_MS), ...owner] },
    `${url} on ${ctx.host.id} (through ssh)`,
  );
}

function httpUrl(address: string, port: number, path: string): string {
  const authority = address.includes(':') ? `[${address}]` : address;
  return `http://${authority}:${port}${path}`;
}

/**
 * Why the server is not serving (its launcher gone, its process dead and being restarted, a crash
 * loop; with its exit and last log lines), or undefined while it runs or has not started yet.
 */
export async function processExited(ctx: ProviderContext, name: string): Promise<string | undefined> {
  const layout = await resolveLayout(ctx.host, processSettings(ctx.target.settings), ctx.environment.name);
  const entry = (await readInventory(ctx.host, layout, { only: name })).find((e) => e.name === name);
  if (!entry || entry.pid === undefined) return undefined;
  const { live } = entry;
  // A launcher that is not node yet, or has not written its state yet, is still starting the server.
  if (!live.launcherRunning && entry.pidAlive) return undefined;
  if (live.launcherRunning && (!live.state || live.state.status === 'starting')) return undefined;
  // The server just died and its launcher has not recorded the exit yet: ask again, so the
  // answer carries the exit code, not only the log lines.
  const state = live.state;
  if (
    live.launcherRunning &&
    state?.status === 'running' &&
    !live.childRunning &&
    (state.lastExit?.at ?? 0) < (state.childStartedAt ?? 0)
  )
    return undefined;
  const down = describeDown(live);
  return down === undefined ? undefined : redactor.redact(down);
}

/**
 * "port N is in use by another process (pid, comm)" when a process outside the server's launcher
 * holds its port. `listeners`: the port's listening sockets read a moment ago, instead of reading
 * them again (listener-snapshot.ts).
 */
export async function portTakenBy(
  ctx: ProviderContext,
  name: string,
  listeners?: { port: number; sockets: readonly ListeningSocket[] },
): Promise<string | undefined> {
  const layout = await resolveLayout(ctx.host, processSettings(ctx.target.settings), ctx.environment.name);
  const options = { checkPortOf: name, only: name, ...(listeners ? { listeners } : {}) };
  const entry = (await readInventory(ctx.host, layout, options)).find((e) => e.name === name);
  if (entry?.port?.state !== 'foreign') return undefined;
  return redactor.redact(entry.port.reason ?? 'its port is in use by another process');
}
