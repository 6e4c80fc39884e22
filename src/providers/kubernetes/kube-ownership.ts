/**
 * Who owns the object a change would apply over, without a GET per object. Observe's LIST (by
 * the owner labels) is remembered per target for the run: an object it saw is this environment's
 * and target's. Any other name is looked up in one LIST of the namespace per kind, made once per
 * batch on first need, so an unlabelled object (made by hand, or another target's) is still seen
 * and never taken over. Between that LIST and the apply the window is the same as between a GET
 * and the apply it guarded.
 */
import type { DesiredTarget } from '../../core/state.js';
import type { KubeConnection } from '../../kube/connect.js';
import { kubeCallError } from './kube-connection.js';

export type Kind = 'deployment' | 'service';
export const RESOURCE: Record<Kind, string> = { deployment: 'deployments', service: 'services' };

/** The labels of the live object of that kind and name (`{}` when it has none), or null when there is none. */
export type LiveLabels = (
  conn: KubeConnection,
  kind: Kind,
  name: string,
) => Promise<Record<string, string> | null>;

type Names = Record<Kind, ReadonlyMap<string, Record<string, string>>>;

const observed = new WeakMap<DesiredTarget, Names>();

/** Remember the owned objects observe listed for this target (by object name, with their labels). */
export function recordObserved(target: DesiredTarget, names: Names): void {
  observed.set(target, names);
}

/** `LiveLabels` for one batch on `target`: observe's LIST first, then one LIST of the namespace per kind. */
export function batchLabels(target: DesiredTarget): LiveLabels {
  const seen = observed.get(target);
  const listed = new Map<Kind, Promise<Map<string, Record<string, string>>>>();
  const list = (conn: KubeConnection, kind: Kind) => {
    let names = listed.get(kind);
    if (!names) {
      names = listNamespace(conn, kind);
      listed.set(kind, names);
    }
    return names;
  };
  return async (conn, kind, name) => {
    const owned = seen?.[kind].get(name);
    if (owned) return owned;
    return (await list(conn, kind)).get(name) ?? null;
  };
}

async function listNamespace(conn: KubeConnection, kind: Kind): Promise<Map<string, Record<string, string>>> {
  const namespace = conn.namespace;
  const items = await (kind === 'deployment'
    ? conn.apps.listNamespacedDeployment({ namespace })
    : conn.core.listNamespacedService({ namespace })
  ).then(
    (res) => res.items,
    (err: unknown) => {
      throw kubeCallError('list', RESOURCE[kind], namespace, err);
    },
  );
  const out = new Map<string, Record<string, string>>();
  for (const item of items) {
    if (item.metadata?.name) out.set(item.metadata.name, item.metadata.labels ?? {});
  }
  return out;
}
