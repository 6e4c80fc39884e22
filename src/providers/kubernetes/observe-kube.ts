/**
 * Observe a kubernetes target: one LIST of Deployments and one of Services carrying this
 * environment's and target's owner labels in the namespace (objects without them are never seen).
 * Each server's `actual` is its live objects projected onto what the provider renders for it
 * (comparable.ts), its spec and hash come from the annotations apply wrote, and its health from
 * the Deployment's status (kube-health.ts). What it listed is remembered for apply's ownership
 * check (kube-ownership.ts).
 */
import type { ServerSpec } from '../../core/resources.js';
import type { DesiredServer, ObservedServer } from '../../core/state.js';
import type { KubeConnection } from '../../kube/connect.js';
import type { ProviderContext } from '../types.js';
import { liveComparable } from './comparable.js';
import { kubeCallError } from './kube-connection.js';
import { deploymentHealth } from './kube-health.js';
import { ANNOTATIONS, LABELS, ownerSelector } from './kube-labels.js';
import { recordObserved } from './kube-ownership.js';
import { renderManifests } from './render-manifests.js';

interface LiveObject {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface LiveServer {
  deployment?: LiveObject;
  service?: LiveObject;
}

/** The owned Deployments and Services of the target, by server name. */
export async function listOwned(
  ctx: ProviderContext,
  conn: KubeConnection,
): Promise<Map<string, LiveServer>> {
  const namespace = conn.namespace;
  const labelSelector = ownerSelector(ctx.environment.name, ctx.target.name);
  const [deployments, services] = await Promise.all([
    conn.apps.listNamespacedDeployment({ namespace, labelSelector }).catch((err: unknown) => {
      throw kubeCallError('list', 'deployments', namespace, err);
    }),
    conn.core.listNamespacedService({ namespace, labelSelector }).catch((err: unknown) => {
      throw kubeCallError('list', 'services', namespace, err);
    }),
  ]);
  const out = new Map<string, LiveServer>();
  const add = (kind: 'deployment' | 'service', obj: LiveObject) => {
    const name = obj.metadata?.labels?.[LABELS.name] ?? obj.metadata?.name;
    if (!name) return;
    const entry = out.get(name) ?? {};
    entry[kind] = obj;
    out.set(name, entry);
  };
  for (const d of deployments.items) add('deployment', d as LiveObject);
  for (const s of services.items) add('service', s as LiveObject);
  recordObserved(ctx.target, { deployment: byName(deployments.items), service: byName(services.items) });
  return out;
}

function byName(items: LiveObject[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const item of items) {
    if (item.metadata?.name) out.set(item.metadata.name, item.metadata.labels ?? {});
  }
  return out;
}

export async function observeServers(ctx: ProviderContext, conn: KubeConnection): Promise<ObservedServer[]> {
  const live = await listOwned(ctx, conn);
  const desired = new Map(ctx.target.servers.map((s) => [s.name, s]));
  return [...live.entries()].map(([name, objects]) => observedServer(ctx, name, objects, desired.get(name)));
}

function observedServer(
  ctx: ProviderContext,
  name: string,
  objects: LiveServer,
  desired: DesiredServer | undefined,
): ObservedServer {
  const annotations =
    objects.deployment?.metadata?.annotations ?? objects.service?.metadata?.annotations ?? {};
  const spec = recordedSpec(annotations[ANNOTATIONS.spec]);
  const specHash = annotations[ANNOTATIONS.specHash];
  const health = deploymentHealth(objects.deployment);
  const out: ObservedServer = {
    name,
    ...(spec ? { spec } : {}),
    ...(specHash ? { specHash } : {}),
    running: health.running,
    health: health.health,
    // Only a server that is really down says so: a rollout still in progress (or one no
    // controller has processed yet) is `starting`, not a failure.
    ...(health.down && health.health === 'unhealthy' ? { down: health.down } : {}),
  };
  if (desired) {
    try {
      out.actual = liveComparable(objects, renderManifests(desired, ctx.target, ctx.environment));
    } catch {
      // A desired server this provider cannot render is refused by validation; nothing to compare.
    }
  }
  return out;
}

function recordedSpec(text: string | undefined): ServerSpec | undefined {
  if (!text) return undefined;
  try {
    const spec = JSON.parse(text) as ServerSpec;
    return spec && typeof spec === 'object' && typeof spec.transport === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}
