/**
 * A suspended environment (`sync.suspend: true`) in the plan: every one of its targets, removed
 * ones included, carries `suspended`, so `apply` holds its changes back as a gate (like
 * maxDeletions), and renderers and reports say so. Only environments the repo still has can be
 * suspended: a removed environment's old `sync` is history and cannot be resumed.
 */
import type { Plan, TargetPlan } from '../core/plan.js';
import type { DesiredEnvironment } from '../core/state.js';

export interface SuspendedEnvironment {
  environment: string;
  reason?: string;
}

export function markSuspended(
  targets: readonly TargetPlan[],
  environments: readonly DesiredEnvironment[],
): TargetPlan[] {
  const suspended = new Map(
    environments
      .filter((e) => e.sync.suspend)
      .map((e) => [e.name, e.sync.suspendReason === undefined ? {} : { reason: e.sync.suspendReason }]),
  );
  return targets.map((t) => {
    const mark = suspended.get(t.environment);
    return mark ? { ...t, suspended: { ...mark } } : t;
  });
}

/** The suspended environments of a plan, in plan order. */
export function suspendedEnvironments(plan: Pick<Plan, 'environments' | 'targets'>): SuspendedEnvironment[] {
  const out: SuspendedEnvironment[] = [];
  for (const environment of plan.environments) {
    const mark = plan.targets.find((t) => t.environment === environment && t.suspended)?.suspended;
    if (mark) out.push({ environment, ...(mark.reason === undefined ? {} : { reason: mark.reason }) });
  }
  return out;
}

/** Why nothing is applied to a suspended environment (the gate's reason on every held change). */
export function suspendedGate(environment: string): string {
  return `environment ${environment} is suspended (sync.suspend; mcp-gitops resume --env ${environment})`;
}

/** One line for people: the gate, and the reason the environment gives, if any. */
export function describeSuspension(s: SuspendedEnvironment): string {
  return `${suspendedGate(s.environment)}${s.reason ? `: ${s.reason}` : ''}`;
}
