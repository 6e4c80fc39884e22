/**
 * The one line a plan ends with. Fixed format:
 * `Plan: A to create, B to update, C to delete, D unchanged.` with `, N drifted`, `, N with changed
 * tools` (ToolsChanged: a tool surface differs from its lock or last report), `, N stalled`,
 * `, N blocked`, `, N suspended` (environments), `, N not observed` (a pull request's new or
 * changed targets), `, N warnings` (preflight: what apply would fail on) inserted before the period
 * only when nonzero; or, when there is nothing at all
 * to do or report, `No changes. Your MCP servers match the configuration.` A suspended environment
 * is always reported, even with nothing to apply.
 */
import type { Plan } from '../core/plan.js';
import { suspendedEnvironments } from '../plan/suspension.js';

export const NO_CHANGES = 'No changes. Your MCP servers match the configuration.';

export function isQuietPlan(plan: Plan): boolean {
  const s = plan.summary;
  // Kept orphans and targets removed from the repo are always shown, even with nothing to apply.
  const orphans = plan.targets.some(
    (t) => t.retired || t.deferred || t.suspended || t.changes.some((c) => c.reason === 'orphan-kept'),
  );
  return (
    s.create + s.update + s.delete + s.drifted + s.stalled + (s.toolsChanged ?? 0) === 0 &&
    plan.blocked.length === 0 &&
    !orphans &&
    (plan.warnings?.length ?? 0) === 0
  );
}

export function summaryLine(plan: Plan): string {
  if (isQuietPlan(plan)) return NO_CHANGES;
  const s = plan.summary;
  const parts = [
    `${s.create} to create`,
    `${s.update} to update`,
    `${s.delete} to delete`,
    `${s.noop} unchanged`,
  ];
  if (s.drifted > 0) parts.push(`${s.drifted} drifted`);
  if (s.toolsChanged) parts.push(`${s.toolsChanged} with changed tools`);
  if (s.stalled > 0) parts.push(`${s.stalled} stalled`);
  if (plan.blocked.length > 0) parts.push(`${plan.blocked.length} blocked`);
  const suspended = suspendedEnvironments(plan).length;
  if (suspended > 0) parts.push(`${suspended} suspended`);
  const deferred = plan.targets.filter((t) => t.deferred).length;
  if (deferred > 0) parts.push(`${deferred} not observed`);
  const warnings = plan.warnings?.length ?? 0;
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `Plan: ${parts.join(', ')}.`;
}
