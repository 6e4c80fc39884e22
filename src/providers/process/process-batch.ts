/**
 * The changes of one process target in a run, with several creates in flight at once on the local
 * host (issue 16). Each start is mostly waiting — for the supervisor's children to be scheduled,
 * exec'd and forked, on a machine busy starting the servers before it — so 200 servers created
 * one after another took 200 of those waits in a row. The engine (apply-target.ts) hands a create
 * over without waiting for the creates before it, unless it depends on one of them; updates and
 * deletes still run alone (they stop a server, and may free a port a later change takes).
 *
 * Each change is applied exactly as without a batch (apply-process-change.ts): its result, its
 * message (with what the housekeeping after its start removed) and its progress line come when
 * its server has started. Over ssh, changes stay one at a time: every host command is a session
 * of one multiplexed connection that sshd caps (MaxSessions), and observing, verifying and port
 * forwards need theirs.
 *
 * On the local host the batch's housekeepings share what they looked at (housekeeping.ts): the
 * temporary files of a server directory are looked for once per batch (again only when one left
 * there turns stale meanwhile), not after every start — 200 starts looked into 200 directories
 * each, ~20,000 directory reads in the reconciler's event loop (~3 s of it under load).
 */
import type { ApplyBatch, ProviderContext } from '../types.js';
import { applyProcessChange } from './apply-process-change.js';
import type { TempScans } from './housekeeping.js';

/**
 * Creates in flight at once on the local host: a few overlap the waits well even on 2 cores; more
 * only queue for the same CPUs (bench/scale.ts, process-http-reconcile).
 */
export const IN_FLIGHT_LOCAL = 6;

export function openProcessBatch(
  ctx: ProviderContext,
  inFlight = ctx.host.kind === 'local' ? IN_FLIGHT_LOCAL : 1,
): ApplyBatch {
  const shared = ctx.host.kind === 'local' ? { scans: new Map() as TempScans } : {};
  return {
    inFlight,
    apply: (change) => applyProcessChange(ctx, change, shared),
    // Every change was made in `apply`, with its own result: nothing is left to commit.
    commit: async () => new Map(),
  };
}
