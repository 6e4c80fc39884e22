/**
 * A rollback reads what to apply from a tag's tree, but whether the environment is suspended is a
 * fact of now, not of that old tree: it comes from the branch head (where `rollback` has just
 * committed `sync.suspend`, unless --no-suspend). The rollback itself applies whatever either says
 * (it is the one apply a suspension lets through), and its reports carry the head's suspension, so
 * the run after it — which reads the head — finds them already saying so.
 */
import type { Plan } from '../core/plan.js';
import type { DesiredState } from '../core/state.js';
import { markSuspended } from '../plan/suspension.js';

export interface HeadSuspension {
  suspended: boolean;
  reason?: string;
}

/** The desired state read at the tag, with no environment suspended for this run. */
export function liftSuspension(desired: DesiredState): void {
  for (const env of desired.environments) {
    const { suspendReason: _, ...sync } = env.sync;
    env.sync = { ...sync, suspend: false };
  }
}

/** After the run: the plan's targets marked as the head has them, for the reports. */
export function markHeadSuspension(plan: Plan, desired: DesiredState, head: HeadSuspension): void {
  if (!head.suspended) return;
  const environments = desired.environments.map((e) => ({
    ...e,
    sync: { ...e.sync, suspend: true, ...(head.reason ? { suspendReason: head.reason } : {}) },
  }));
  plan.targets = markSuspended(plan.targets, environments);
}
