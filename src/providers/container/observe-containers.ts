/**
 * What the engine holds for one target: the containers carrying its owner labels, grouped by
 * server, and each server's observed form — the spec recorded in its labels, and `actual` read
 * from the container itself (image, running state, published port, the values of the variables
 * its spec names, secret references by name).
 */
import type { ObservedServer } from '../../core/state.js';
import { envValues } from './container-env.js';
import { containerName, LABELS, ownerLabels, recordedSpec } from './container-labels.js';
import { type ContainerDetails, inspectContainer, listContainers } from './engine-api.js';
import type { EngineClient } from './engine-client.js';
import { comparable, httpPath, sameImage } from './render-container.js';

export interface ServerContainers {
  /** The container under the server's own name, if any. */
  current?: ContainerDetails;
  /** Containers of the server under other names (left from an interrupted update). */
  leftovers: ContainerDetails[];
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
    const details = await inspectContainer(client, summary.Id);
    if (!details) continue;
    const entry = byServer.get(server) ?? { leftovers: [] };
    if (details.Name.replace(/^\//, '') === containerName(environment, target, server))
      entry.current = details;
    else entry.leftovers.push(details);
    byServer.set(server, entry);
  }
  return byServer;
}

/** The observed server of a container; a server with only leftovers is reported as not running. */
export function observedServer(name: string, found: ServerContainers): ObservedServer {
  const container = found.current ?? found.leftovers[0];
  if (!container) return { name, running: false };
  const labels = container.Config.Labels ?? {};
  const spec = recordedSpec(labels);
  const running = found.current !== undefined && container.State.Running;
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
