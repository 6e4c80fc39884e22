/**
 * A suspended environment (`sync.suspend`) in a target report: the top-level `suspended` field
 * (with the environment's `sync.suspendReason`), and, while changes are held back, a Ready
 * condition that says so (reason `Suspended`) instead of whatever the unchanged target would
 * show. A held change is one the plan wanted applied and the run did not apply; a suspended target
 * with nothing to apply keeps its ordinary conditions.
 */
import type { TargetPlan } from '../core/plan.js';
import type { ChangeResult, Condition } from '../core/report.js';

/** Changes of a suspended target that were not applied, as `server (action)`. */
export function heldChanges(targetPlan: TargetPlan, results: ReadonlyMap<string, ChangeResult>): string[] {
  if (!targetPlan.suspended) return [];
  return targetPlan.changes
    .filter((c) => c.action !== 'noop' && !c.skipApply && results.get(c.server)?.outcome !== 'applied')
    .map((c) => `${c.server} (${c.action})`)
    .sort();
}

/** The Ready condition replaced by `Suspended` while changes are held back; the others as they are. */
export function suspendedConditions(
  conditions: Condition[],
  targetPlan: TargetPlan,
  held: readonly string[],
): Condition[] {
  const stalled = conditions.some((c) => c.type === 'Stalled' && c.status === 'True');
  if (!targetPlan.suspended || held.length === 0 || stalled) return conditions;
  const env = targetPlan.environment;
  const reason = targetPlan.suspended.reason ? `: ${targetPlan.suspended.reason}` : '';
  const message =
    `environment ${env} is suspended (sync.suspend${reason}); not applied: ${held.join(', ')}; ` +
    `\`mcp-gitops resume --env ${env}\` applies them`;
  return conditions.map((c) =>
    c.type === 'Ready' ? { type: 'Ready', status: 'False', reason: 'Suspended', message } : c,
  );
}
