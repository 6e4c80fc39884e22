/**
 * Apply a plan, environment by environment. A suspended environment (`sync.suspend`), a blocked
 * one (maxDeletions) or a preApply hook that aborts stops that environment before anything is
 * applied; other environments go on. Suspension is not a failure: it is recorded as
 * `EnvironmentRun.suspended`, the other two as `gate`.
 * Targets of an environment on different hosts are applied concurrently (at most
 * APPLY_CONCURRENCY at once), those on one host one after another; targets removed from the repo
 * go first. Within a target (apply-target.ts), changes run in plan order.
 */
import type { Change, Plan, TargetPlan } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import { type HookResult, hooksFor, runHooks } from '../hooks/run-hooks.js';
import { suspendedGate } from '../plan/suspension.js';
import { applyTarget } from './apply-target.js';
import { eachByKey } from './each-by-key.js';
import type { Effects } from './effects.js';
import { sessionKey, type TargetSession } from './target-session.js';
import type { EngineDeps, EnvironmentRun } from './types.js';

/** Targets (on different hosts) applied at once. */
export const APPLY_CONCURRENCY = 4;

export interface ApplyInput {
  plan: Plan;
  sessions: readonly TargetSession[];
  effects: Effects;
  deps: EngineDeps;
  /** Config repo root (hooks run there). */
  root: string;
  /** Environments not to apply now, with why (a failed revision's retry backing off). */
  hold?: ReadonlyMap<string, string>;
  /** Called as each target's changes are done, so its verification need not wait for the others. */
  onTargetApplied?(target: TargetPlan, results: ChangeResult[]): void;
}

export interface ApplyOutput {
  /** Per target key (`sessionKey`), one result per planned change in plan order. */
  results: Map<string, ChangeResult[]>;
  environments: EnvironmentRun[];
}

export async function applyPlan(input: ApplyInput): Promise<ApplyOutput> {
  const { plan, effects, deps } = input;
  const sessions = new Map(input.sessions.map((s) => [sessionKey(s.environment.name, s.target.name), s]));
  const results = new Map<string, ChangeResult[]>();
  const environments: EnvironmentRun[] = [];

  for (const envName of plan.environments) {
    // Targets removed from the repo first: one renamed onto the same client files, host or ports
    // gives them up before its successor takes them.
    const targets = plan.targets
      .filter((t) => t.environment === envName)
      .sort((a, b) => Number(a.retired === undefined) - Number(b.retired === undefined));
    const session = input.sessions.find((s) => s.environment.name === envName);
    const hooks = session?.environment.hooks ?? [];
    const run: EnvironmentRun = { environment: envName, hooks: [] };
    environments.push(run);
    const work = targets.flatMap((t) => t.changes).filter(needsApply);

    const suspended = targets.some((t) => t.suspended) ? suspendedGate(envName) : undefined;
    const held = suspended ? undefined : input.hold?.get(envName);
    let gate = suspended ?? held ?? plan.blocked.find((b) => b.environment === envName)?.reason;
    if (!gate && work.length > 0 && hooksFor(hooks, 'preApply', envName).length > 0) {
      const pre = await effects.run(
        `preApply hooks of ${envName}`,
        () =>
          runHooks(
            hooks,
            {
              event: 'preApply',
              environment: envName,
              summary: planSummary(work),
              revision: plan.revision,
              root: input.root,
            },
            deps.logger,
          ),
        { results: [] as HookResult[] },
      );
      run.hooks.push(...pre.results);
      gate = pre.abort?.reason;
    }
    if (suspended) run.suspended = suspended;
    else if (held) run.held = held;
    else if (gate) run.gate = gate;

    for (const target of targets) results.set(sessionKey(target.environment, target.target), []);
    for (const retired of [true, false]) {
      await eachByKey(
        targets.filter((t) => (t.retired !== undefined) === retired),
        (t) => t.host,
        APPLY_CONCURRENCY,
        async (target) => {
          const key = sessionKey(target.environment, target.target);
          const done = await applyTarget(target, sessions.get(key), gate, input);
          results.set(key, done);
          input.onTargetApplied?.(target, done);
        },
      );
    }
  }
  return { results, environments };
}

function needsApply(change: Change): boolean {
  return change.action !== 'noop' && !change.skipApply;
}

function planSummary(work: readonly Change[]): string {
  const n = (a: Change['action']) => work.filter((c) => c.action === a).length;
  return `${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete`;
}
