/**
 * What a steady pass of `watch` says about drift, from the plan the pass made (pure): environments
 * with `sync.drift: correct` whose targets differed (the pass repaired them), and, where drift is
 * only reported (warn / detect), what differs where; stalled targets everywhere.
 */
import type { Change, Plan, TargetPlan } from '../core/plan.js';
import type { DesiredState } from '../core/state.js';
import { changeLabel } from '../render/describe-change.js';

export interface DriftCheck {
  /** Environments with `sync.drift: correct` whose targets differed from the repo. */
  corrected: string[];
  /** What differs where it is only reported (warn / detect), and stalled targets everywhere. */
  lines: string[];
}

export function describeDrift(plan: Plan, desired: DesiredState): DriftCheck {
  const corrected: string[] = [];
  const lines: string[] = [];
  for (const env of desired.environments) {
    const targets = plan.targets.filter((t) => t.environment === env.name);
    for (const t of targets.filter((x) => x.stalled)) {
      lines.push(`${t.environment}/${t.target}: STALLED: ${t.stalled?.reason}`);
    }
    // A suspended environment applies nothing: what differs there is only reported.
    if (env.sync.drift === 'correct' && !env.sync.suspend) {
      if (targets.some((t) => t.changes.some((c) => c.action !== 'noop' && !c.skipApply)))
        corrected.push(env.name);
      continue;
    }
    for (const t of targets) {
      for (const c of t.changes.filter((x) => x.action !== 'noop' || x.skipApply)) lines.push(describe(t, c));
    }
  }
  return { corrected, lines };
}

function describe(target: TargetPlan, change: Change): string {
  const fields = change.diffs.map((d) => d.path).join(', ');
  return `${target.environment}/${target.target}: ${change.server}: ${changeLabel(change, target)}${fields ? `: ${fields}` : ''}`;
}
