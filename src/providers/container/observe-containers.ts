/**
 * What the engine holds for one target: the containers carrying its owner labels, grouped by
 * server, and each server's observed form — the spec recorded in its labels, and `actual` read
 * from the container itself (image, running state, published port, the values of the variables
 * its spec names, secret references by name).
 */
import type { ObservedServer } from '../../core/state.js';
import type { ProviderContext } from '../types.js';
import { type ContainerHealth, containerHealth } from './container-down.js';
import { envValues } from './container-env.js';
import { containerName, LABELS, ownerLabels, recordedSpec } from './container-labels.js';
import { type ContainerDetails, inspectContainerAt, listContainers } from './engine-api.js';
import type { EngineClient } from './engine-client.js';
import { comparable, httpPath, sameImage } from './render-container.js';

export interface ServerContainers {
  /** The container under the server's own name, if any. */
  current?: ContainerDetails;
  /** Containers of the server under other names (left from an interrupted update). */
  leftovers: ContainerDetails[];
  /** The engine's clock when the current container was inspected (ms). */
  date?: number;
}

export async function findContainers(
  client: EngineClient,
  environment: string,
  target: string,
): Promise<Map<string, ServerContainers>> {
  const summaries = await listContainers(client, ownerLabels(environment, target));
  const byServer = new Map<string, ServerContainers>();
  for (const summary of summaries) {
    const server = summary.Labels?.[LABELS.server];
    if (!server) continue;
    const found = await inspectContainerAt(client, summary.Id);
    if (!found) continue;
    const { details, date } = found;
    const entry: ServerContainers = byServer.get(server) ?? { leftovers: [] };
    if (details.Name.replace(/^\//, '') === containerName(environment, target, server)) {
      entry.current = details;
      if (date !== undefined) entry.date = date;
    } else entry.leftovers.push(details);
    byServer.set(server, entry);
  }
  return byServer;
}

/**
 * The observed server of a container; a server with only leftovers is reported as not running.
 * `health` (container-down.ts) says whether it serves, its restarts and why it is down; without
 * it, the engine's running state is taken as it is.
 */
export function observedServer(
  name: string,
  found: ServerContainers,
  health?: ContainerHealth,
): ObservedServer {
  const container = found.current ?? found.leftovers[0];
  if (!container) return { name, running: false };
  const labels = container.Config.Labels ?? {};
  const spec = recordedSpec(labels);
  const running = found.current !== undefined && (health ? health.running : container.State.Running);
  const facts =
    found.current && health
      ? {
          // Only when it restarted: a report of a fresh container (no observed state when it was
          // created) and of the same container on the next run stay byte-identical.
          ...(health.restarts > 0 ? { restarts: health.restarts } : {}),
          ...(health.down === undefined ? {} : { down: health.down }),
        }
      : {};
  const binding = firstBinding(container);
  const env = container.Config.Env ?? [];
  const secretNames = (spec?.secrets ?? []).map((s) => s.name);
  const present = envValues(env, secretNames);
  const recordedImage = labels[LABELS.image];
  const image =
    recordedImage && sameImage(container.Config.Image, recordedImage)
      ? recordedImage
      : container.Config.Image;
  return {
    name,
    ...(spec ? { spec } : {}),
    ...(labels[LABELS.specHash] ? { specHash: labels[LABELS.specHash] } : {}),
    running,
    ...facts,
    actual: comparable({
      running,
      image,
      ...binding,
      ...(spec ? { path: httpPath(spec) } : {}),
      env: envValues(env, Object.keys(spec?.env ?? {})),
      secrets: Object.fromEntries(
        (spec?.secrets ?? []).filter((s) => s.name in present).map((s) => [s.name, s.ref]),
      ),
    }),
  };
}

/** The published host port and address of the container's first port binding. */
function firstBinding(container: ContainerDetails): { port?: number; bindAddress?: string } {
  for (const bindings of Object.values(container.HostConfig.PortBindings ?? {})) {
    const b = bindings?.[0];
    if (!b?.HostPort) continue;
    return { port: Number(b.HostPort), bindAddress: b.HostIp || '0.0.0.0' };
  }
  return {};
}

/** Every server of the target as observed now, by name, with restarts and why it is down. */
export async function observeServers(ctx: ProviderContext, client: EngineClient): Promise<ObservedServer[]> {
  const environment = ctx.environment.name;
  const target = ctx.target.name;
  const found = await findContainers(client, environment, target);
  const names = [...found.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const containers = found.get(name)!;
      const current = containers.current;
      if (!current) return observedServer(name, containers);
      const at = { details: current, ...(containers.date === undefined ? {} : { date: containers.date }) };
      const health = await containerHealth(client, containerName(environment, target, name), at, ctx.redact);
      return observedServer(name, containers, health);
    }),
  );
}
