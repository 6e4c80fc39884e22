/**
 * Apply one change on a kubernetes target.
 *
 * create/update: render the Deployment and Service and server-side apply both under field manager
 * `mcp-gitops` with force, so a field someone else took (a `kubectl scale`, an edit) comes back to
 * the rendered value while fields only other managers set are left alone. An object of the same
 * name that is not this environment's and target's (no owner labels: made by hand, or another
 * target's) is never taken over: the change fails and says so.
 * delete: remove the server's Deployment and Service, each only when it carries the owner labels.
 * Failures are outcome `failed` with the API call that failed (kube-connection.ts).
 * Who owns an object of the server's name is asked of `labels`: by default a GET per object; a
 * batch (kube-batch.ts) answers from what observe listed and one LIST of the namespace instead.
 */
import * as k8s from '@kubernetes/client-node';
import { isMcpGitopsError } from '../../core/errors.js';
import type { Change } from '../../core/plan.js';
import type { ChangeResult } from '../../core/report.js';
import { type KubeConnection, kubeStatus } from '../../kube/connect.js';
import type { ProviderContext } from '../types.js';
import { kubeCallError, kubeConnection } from './kube-connection.js';
import { isOwned, MANAGER } from './kube-labels.js';
import { type Kind, type LiveLabels, RESOURCE } from './kube-ownership.js';
import { renderManifests } from './render-manifests.js';

/** `LiveLabels` by one GET of the object. */
export const readLabels: LiveLabels = async (conn, kind, name) => {
  const existing = await read(conn, kind, name);
  return existing ? (existing.metadata?.labels ?? {}) : null;
};

export async function applyKubeChange(
  ctx: ProviderContext,
  change: Change,
  labels: LiveLabels = readLabels,
): Promise<ChangeResult> {
  const base = {
    server: change.server,
    action: change.action,
    ...(change.diffs.length ? { diffs: change.diffs } : {}),
  };
  if (change.action === 'noop') return { ...base, outcome: 'unchanged' };
  try {
    const conn = kubeConnection(ctx.target);
    if (change.action === 'delete') {
      const removed: string[] = [];
      for (const kind of ['deployment', 'service'] as const) {
        if (await deleteOwned(ctx, conn, kind, change.server, labels))
          removed.push(`${kind} ${change.server}`);
      }
      const message = removed.length ? `removed ${removed.join(' and ')}` : 'nothing to remove';
      return { ...base, outcome: 'applied', message: `${message} in namespace ${conn.namespace}` };
    }
    const desired = change.desired;
    if (!desired) return { ...base, outcome: 'failed', message: 'no desired spec to apply' };
    const rendered = renderManifests(desired, ctx.target, ctx.environment);
    for (const kind of ['deployment', 'service'] as const) {
      const foreign = await foreignObject(ctx, conn, kind, change.server, labels);
      if (foreign) return { ...base, outcome: 'failed', message: foreign };
    }
    for (const kind of ['deployment', 'service'] as const) {
      const obj = rendered[kind] as { metadata: Record<string, unknown> };
      const body = {
        ...obj,
        metadata: { ...obj.metadata, namespace: conn.namespace },
      } as k8s.KubernetesObject;
      await conn.objects
        .patch(body, undefined, undefined, MANAGER, true, k8s.PatchStrategy.ServerSideApply)
        .catch((err: unknown) => {
          throw kubeCallError('patch', RESOURCE[kind], conn.namespace, err);
        });
    }
    return {
      ...base,
      outcome: 'applied',
      message: `applied deployment and service ${change.server} in namespace ${conn.namespace}`,
    };
  } catch (err) {
    const message = isMcpGitopsError(err) ? err.message : err instanceof Error ? err.message : String(err);
    return { ...base, outcome: 'failed', message: message.split('\n')[0]?.slice(0, 500) ?? '' };
  }
}

async function read(conn: KubeConnection, kind: Kind, name: string) {
  const namespace = conn.namespace;
  try {
    return kind === 'deployment'
      ? await conn.apps.readNamespacedDeployment({ name, namespace })
      : await conn.core.readNamespacedService({ name, namespace });
  } catch (err) {
    if (kubeStatus(err) === 404) return undefined;
    throw kubeCallError('get', RESOURCE[kind], namespace, err);
  }
}

/** Why an existing object of that name must not be applied over, or undefined when it may. */
async function foreignObject(
  ctx: ProviderContext,
  conn: KubeConnection,
  kind: Kind,
  name: string,
  labels: LiveLabels,
): Promise<string | undefined> {
  const existing = await labels(conn, kind, name);
  if (existing === null || isOwned(existing, ctx.environment.name, ctx.target.name)) return undefined;
  return (
    `a ${kind} named ${name} already exists in namespace ${conn.namespace} and is not managed by this ` +
    `environment and target (it lacks their mcp-gitops labels); rename the server or remove that ${kind}`
  );
}

async function deleteOwned(
  ctx: ProviderContext,
  conn: KubeConnection,
  kind: Kind,
  name: string,
  labels: LiveLabels,
): Promise<boolean> {
  const existing = await labels(conn, kind, name);
  if (existing === null || !isOwned(existing, ctx.environment.name, ctx.target.name)) return false;
  const namespace = conn.namespace;
  try {
    if (kind === 'deployment') await conn.apps.deleteNamespacedDeployment({ name, namespace });
    else await conn.core.deleteNamespacedService({ name, namespace });
    return true;
  } catch (err) {
    if (kubeStatus(err) === 404) return false;
    throw kubeCallError('delete', RESOURCE[kind], namespace, err);
  }
}
