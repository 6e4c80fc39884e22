/**
 * Where the reconciler speaks MCP to a server the container provider runs: the published port on
 * `bindAddress` (a wildcard means 127.0.0.1), at the server's path.
 *
 * On an `ssh://` host the port is published on that host. A wildcard `bindAddress` is tried at
 * the host's own address, a specific non-loopback one at that address, from here; when it does
 * not answer (a firewall, or the default: the host's loopback, where nothing outside can reach
 * it) a loopback port here is forwarded through the host's ssh control master to
 * `bindAddress:port` there. Reports show the stable address on the host (`display`), never the
 * random local port. A forwarded port is handed out once the server answers through it (see
 * `await-forwarded-port.ts`). `exited` tells verification at once when the container is gone or has
 * stopped, with its exit code and last log lines.
 */
import type { DesiredServer } from '../../core/state.js';
import { parseSshUrl } from '../../hosts/ssh/parse-ssh-url.js';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../../verify/verify-server.js';
import { reachableFromHere } from '../process/reachable-from-here.js';
import { isSshHost } from '../ssh-stdio-endpoint.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { awaitForwardedPort } from './await-forwarded-port.js';
import { containerHealth } from './container-down.js';
import { containerName } from './container-labels.js';
import { containerSettings } from './container-settings.js';
import { inspectContainerAt } from './engine-api.js';
import type { EngineClient } from './engine-client.js';
import { engineClient } from './engine-connection.js';
import { httpPath } from './render-container.js';

const WILDCARD = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export async function containerEndpoint(
  ctx: ProviderContext,
  server: DesiredServer,
): Promise<Endpoint | undefined> {
  const { port, transport } = server.spec;
  if (port === undefined) return undefined;
  const settings = containerSettings(ctx.target.settings);
  const path = httpPath(server.spec);
  const name = containerName(ctx.environment.name, ctx.target.name, server.name);
  const base = {
    kind: 'http' as const,
    transport: transport === 'sse' ? ('sse' as const) : ('streamable-http' as const),
    exited: async () => containerExited(await engineClient(ctx), name, ctx.redact),
  };
  const onHost = WILDCARD.has(settings.bindAddress) ? '127.0.0.1' : settings.bindAddress;
  const host = ctx.host;
  if (!isSshHost(host)) return { ...base, url: httpUrl(onHost, port, path) };
  const direct = WILDCARD.has(settings.bindAddress)
    ? parseSshUrl(host.id).host
    : LOOPBACK.test(settings.bindAddress)
      ? undefined
      : settings.bindAddress;
  if (direct !== undefined && (await reachableFromHere(direct, port))) {
    return { ...base, url: httpUrl(direct, port, path) };
  }
  const forward = await host.forwardPort(onHost, port);
  const display = `${httpUrl(onHost, port, path)} on ${host.id} (through ssh)`;
  await awaitForwardedPort({
    localPort: forward.localPort,
    path,
    waitMs: server.spec.health?.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
    display,
    exited: base.exited,
  });
  return { ...base, url: httpUrl('127.0.0.1', forward.localPort, path), display };
}

function httpUrl(address: string, port: number, path: string): string {
  const authority = address.includes(':') ? `[${address}]` : address;
  return `http://${authority}:${port}${path}`;
}

/** Why the container does not serve (exit code, crash loop, last log lines), or undefined while it does. */
export async function containerExited(
  client: EngineClient,
  name: string,
  redact: (value: string) => void,
): Promise<string | undefined> {
  const found = await inspectContainerAt(client, name);
  if (!found) return `container ${name} does not exist`;
  return (await containerHealth(client, name, found, redact)).down;
}
