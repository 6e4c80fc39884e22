/**
 * The periodic drift check of `watch`: observe + plan every environment in scope (no change
 * anywhere), then act by each environment's `sync.drift`: `correct` → the environments whose
 * targets differ from the repo are named for a reconcile; `warn` / `detect` → report only, as
 * lines for people.
 */
import type { Change, TargetPlan } from '../core/plan.js';
import { planRun } from '../engine/plan-run.js';
import type { EngineDeps } from '../engine/types.js';
import { changeLabel } from '../render/describe-change.js';

export interface DriftCheckInput {
  repoDir: string;
  environment?: string;
  deps?: Partial<EngineDeps>;
}

export interface DriftCheck {
  /** Environments with `sync.drift: correct` whose targets differ from the repo. */
  toCorrect: string[];
  /** What differs where it is only reported (warn / detect), and stalled targets everywhere. */
  lines: string[];
}

export async function checkDrift(input: DriftCheckInput): Promise<DriftCheck> {
  const { plan, desired } = await planRun({
    repoDir: input.repoDir,
    environment: input.environment,
    deps: input.deps,
  });
  const toCorrect: string[] = [];
  const lines: string[] = [];
  for (const env of desired.environments) {
    const targets = plan.targets.filter((t) => t.environment === env.name);
    for (const t of targets.filter((x) => x.stalled)) {
      lines.push(`${t.environment}/${t.target}: STALLED: ${t.stalled?.reason}`);
    }
    if (env.sync.drift === 'correct') {
      if (targets.some((t) => t.changes.some(applies))) toCorrect.push(env.name);
      continue;
    }
    for (const t of targets) {
      for (const c of t.changes.filter((x) => x.action !== 'noop' || x.skipApply)) lines.push(describe(t, c));
    }
  }
  return { toCorrect, lines };
}

const applies = (c: Change) => c.action !== 'noop' && !c.skipApply;

function describe(target: TargetPlan, change: Change): string {
  const fields = change.diffs.map((d) => d.path).join(', ');
  return `${target.environment}/${target.target}: ${change.server}: ${changeLabel(change, target)}${fields ? `: ${fields}` : ''}`;
}
