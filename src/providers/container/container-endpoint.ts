/**
 * Where the reconciler speaks MCP to a server the container provider runs: the published port on
 * `bindAddress` (a wildcard means 127.0.0.1), at the server's path. `exited` tells verification
 * at once when the container is gone or has stopped, with its exit code and last log lines.
 */
import type { DesiredServer } from '../../core/state.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { containerName } from './container-labels.js';
import { containerSettings } from './container-settings.js';
import { containerLogs, inspectContainer } from './engine-api.js';
import { EngineClient } from './engine-client.js';
import { httpPath } from './render-container.js';

const WILDCARD = new Set(['0.0.0.0', '::', '']);
const LOG_LINES = 5;

export function containerEndpoint(ctx: ProviderContext, server: DesiredServer): Endpoint | undefined {
  const { port, transport } = server.spec;
  if (port === undefined) return undefined;
  const settings = containerSettings(ctx.target.settings);
  const address = WILDCARD.has(settings.bindAddress) ? '127.0.0.1' : settings.bindAddress;
  const authority = address.includes(':') ? `[${address}]` : address;
  const name = containerName(ctx.environment.name, ctx.target.name, server.name);
  return {
    kind: 'http',
    url: `http://${authority}:${port}${httpPath(server.spec)}`,
    transport: transport === 'sse' ? 'sse' : 'streamable-http',
    exited: () => containerExited(new EngineClient(settings.socketPath), name),
  };
}

/** Why the container is not running (exit code, last log lines), or undefined while it runs. */
export async function containerExited(client: EngineClient, name: string): Promise<string | undefined> {
  const details = await inspectContainer(client, name);
  if (!details) return `container ${name} does not exist`;
  if (details.State.Running) return undefined;
  const lines = await containerLogs(client, details.Id, LOG_LINES).catch(() => [] as string[]);
  const error = details.State.Error ? ` (${details.State.Error})` : '';
  return (
    `container ${name} is ${details.State.Status} (exit code ${details.State.ExitCode})${error}` +
    (lines.length ? `; last log lines: ${lines.join(' | ')}` : '')
  );
}
