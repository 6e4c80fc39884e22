/**
 * Where the reconciler speaks MCP to a server the process provider runs. On the local host that
 * is `listenHost` (a wildcard means 127.0.0.1). On an ssh host it is the host's own address when
 * the server listens on a wildcard, or `listenHost` when that is a specific address; a server on
 * the remote machine's loopback (the safe default) cannot be reached from here, so it is not
 * verified (undefined) rather than verified against this machine by mistake.
 */
import type { DesiredServer } from '../../core/state.js';
import { parseSshUrl } from '../../hosts/ssh/parse-ssh-url.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { processSettings } from './process-settings.js';

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
  };
}
