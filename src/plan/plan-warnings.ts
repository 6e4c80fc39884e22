/**
 * Preflight warnings join a plan after it is built (the checks need the plan's changes to know
 * what to check): kept in one fixed order, so the same findings always render the same way, and
 * counted in the summary. Pure.
 */
import type { Plan, PlanWarning } from '../core/plan.js';

export function withWarnings(plan: Plan, warnings: readonly PlanWarning[]): Plan {
  const { warnings: _old, ...rest } = plan;
  const { warnings: _count, ...summary } = plan.summary;
  if (warnings.length === 0) return { ...rest, summary };
  return {
    ...rest,
    warnings: [...warnings].sort(compareWarnings),
    summary: { ...summary, warnings: warnings.length },
  };
}

/** The warnings of a plan (none for a plan saved before there were any). */
export function planWarnings(plan: Plan): PlanWarning[] {
  return plan.warnings ?? [];
}

function compareWarnings(a: PlanWarning, b: PlanWarning): number {
  return (
    cmp(a.environment, b.environment) ||
    cmp(a.target, b.target) ||
    cmp(a.server ?? '', b.server ?? '') ||
    cmp(a.source?.file ?? '', b.source?.file ?? '') ||
    (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
    (a.source?.col ?? 0) - (b.source?.col ?? 0) ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
