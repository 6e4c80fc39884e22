/**
 * Plan counts. `create` / `update` / `delete` count what `apply` will do, so drift left alone by
 * drift mode `warn` / `detect` (skipApply) is not an update; `drifted` counts every change caused by
 * drift, applied or not; `noop` counts servers left as they are (in sync, or orphans kept);
 * `toolsChanged` counts servers whose tool surface drifted (`ToolsChanged`), which apply never acts on.
 */
import type { Change, PlanSummary, TargetPlan } from '../core/plan.js';

export function summarizePlan(targets: readonly TargetPlan[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, noop: 0, drifted: 0, stalled: 0 };
  let toolsChanged = 0;
  for (const target of targets) {
    if (target.stalled) summary.stalled++;
    for (const change of target.changes) {
      count(summary, change);
      if (change.tools) toolsChanged++;
    }
  }
  // Only present when found, so plans that did not verify running servers keep their JSON.
  if (toolsChanged > 0) summary.toolsChanged = toolsChanged;
  return summary;
}

function count(summary: PlanSummary, change: Change): void {
  if (change.reason === 'drift') summary.drifted++;
  if (change.skipApply) return;
  summary[change.action]++;
}

/** True when applying the plan would do something (the basis of `--detailed-exitcode`). */
export function planHasChanges(summary: PlanSummary): boolean {
  return summary.create + summary.update + summary.delete + summary.drifted + (summary.toolsChanged ?? 0) > 0;
}
