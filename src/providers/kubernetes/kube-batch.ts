/**
 * The changes of one kubernetes target in a run, applied a few at a time (`IN_FLIGHT`) instead of
 * one server after another: each create or update is two server-side applies, and the API server
 * answers concurrent requests about as fast as single ones, so 200 servers cost ~200/8 round
 * trips of waiting instead of 400. Ownership is checked from observe's LIST and one LIST of the
 * namespace (kube-ownership.ts), not a GET per object.
 *
 * `apply` accepts a create or update at once (the engine asks in plan order and reports in that
 * order) and starts it; `commit` waits for all of them and names each server whose apply failed,
 * that server only. A server that depends on another of the batch starts after it, and fails
 * without touching the cluster if that one failed. Deletes (prune: rare, and their message says
 * what was there) run at once, in order.
 */
import type { Change } from '../../core/plan.js';
import type { ChangeResult } from '../../core/report.js';
import type { ApplyBatch, ProviderContext } from '../types.js';
import { applyKubeChange } from './apply-kube-change.js';
import { bounded } from './bounded.js';
import { kubeConnection } from './kube-connection.js';
import { batchLabels } from './kube-ownership.js';

/** Changes of one target in flight at once. */
export const IN_FLIGHT = 8;

export function openKubeBatch(ctx: ProviderContext, inFlight = IN_FLIGHT): ApplyBatch {
  const run = bounded(inFlight);
  const labels = batchLabels(ctx.target);
  const started = new Map<string, Promise<ChangeResult>>();

  async function afterDependencies(change: Change): Promise<ChangeResult> {
    for (const dep of change.desired?.spec.dependsOn ?? []) {
      const before = started.get(dep);
      if (before && (await before).outcome === 'failed') {
        return {
          server: change.server,
          action: change.action,
          outcome: 'failed',
          message: `dependency "${dep}" failed`,
        };
      }
    }
    return run(() => applyKubeChange(ctx, change, labels));
  }

  return {
    async apply(change) {
      if (change.action === 'noop' || change.action === 'delete') {
        const result = run(() => applyKubeChange(ctx, change, labels));
        started.set(change.server, result);
        return result;
      }
      let namespace: string;
      try {
        namespace = kubeConnection(ctx.target).namespace;
      } catch {
        // The same failure, worded by the apply itself.
        return applyKubeChange(ctx, change, labels);
      }
      const result = afterDependencies(change);
      started.set(change.server, result);
      return {
        server: change.server,
        action: change.action,
        ...(change.diffs.length ? { diffs: change.diffs } : {}),
        outcome: 'applied',
        message: `applied deployment and service ${change.server} in namespace ${namespace}`,
      };
    },

    async commit() {
      const failures = new Map<string, string>();
      for (const [server, result] of started) {
        const settled = await result;
        if (settled.outcome === 'failed') failures.set(server, settled.message ?? 'failed');
      }
      return failures;
    },
  };
}
