/**
 * Where a client reaches a streamable-http / sse server: its `remote.url`, or the address where a
 * `process` or `container` target of the same environment serves it (`127.0.0.1` for a target on
 * this machine, the ssh host's name for a remote one — for a container target too, whose engine
 * is on that host; a container target's specific non-loopback `bindAddress`, where its ports are
 * published, when it has one).
 */
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../core/state.js';

const SERVING_PROVIDERS = new Set(['process', 'container']);

export function serverUrl(
  server: DesiredServer,
  target: DesiredTarget,
  environment: DesiredEnvironment,
): string | undefined {
  if (server.spec.remote?.url) return server.spec.remote.url;
  for (const other of environment.targets) {
    if (other === target || !SERVING_PROVIDERS.has(other.provider)) continue;
    const served = byName(other.servers).get(server.name);
    if (!served?.spec.port) continue;
    const path = served.spec.path ?? '/mcp';
    return `http://${servingAddress(other, target.host)}:${served.spec.port}${path.startsWith('/') ? path : `/${path}`}`;
  }
  return undefined;
}

/**
 * A target's servers by name (the first of a name, as `find` gives), built once per list: every
 * server of a client-config target is looked up in each serving target of its environment, which
 * was quadratic (10,000 servers: 10^8 comparisons per rendering of the target).
 */
const indexes = new WeakMap<readonly DesiredServer[], { size: number; names: Map<string, DesiredServer> }>();
function byName(servers: readonly DesiredServer[]): Map<string, DesiredServer> {
  let index = indexes.get(servers);
  if (!index || index.size !== servers.length) {
    const names = new Map<string, DesiredServer>();
    for (const s of servers) if (!names.has(s.name)) names.set(s.name, s);
    index = { size: servers.length, names };
    indexes.set(servers, index);
  }
  return index.names;
}

/** Why no URL could be found, for the failed change's message. */
export function noUrlReason(server: DesiredServer, environment: DesiredEnvironment): string {
  return `${server.spec.transport} server "${server.name}" has no URL: give it a remote.url, or run it on a process or container target of environment "${environment.name}" with a port`;
}

const WILDCARD = new Set(['', '0.0.0.0', '::']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * A loopback `bindAddress` is the serving host's own loopback: a client on that host reaches it at
 * 127.0.0.1, a client elsewhere only by the host's address (as with the default, 127.0.0.1).
 */
function servingAddress(serving: DesiredTarget, clientHost: string): string {
  const bind = serving.provider === 'container' ? serving.settings.bindAddress : undefined;
  if (typeof bind === 'string' && !WILDCARD.has(bind) && !LOOPBACK.test(bind))
    return bind.includes(':') ? `[${bind}]` : bind;
  return hostAddress(serving.host, clientHost);
}

function hostAddress(servingHost: string, clientHost: string): string {
  if (servingHost === clientHost || servingHost === 'local') return '127.0.0.1';
  const match = /^ssh:\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)/.exec(servingHost);
  return match ? match[1]! : servingHost;
}
