/**
 * Apply a plan, environment by environment. A suspended environment (`sync.suspend`), a blocked
 * one (maxDeletions) or a preApply hook that aborts stops that environment before anything is
 * applied; other environments go on. Suspension is not a failure: it is recorded as
 * `EnvironmentRun.suspended`, the other two as `gate`.
 * Within a target, changes run in plan order (dependencies first); one failure never stops the
 * others, but a server whose dependency failed is skipped with that reason.
 */
import type { Change, Plan, TargetPlan } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import { type HookResult, hooksFor, runHooks } from '../hooks/run-hooks.js';
import { redactor } from '../log/redact.js';
import { suspendedGate } from '../plan/suspension.js';
import type { Effects } from './effects.js';
import { sessionKey, type TargetSession } from './target-session.js';
import type { EngineDeps, EnvironmentRun } from './types.js';

export interface ApplyInput {
  plan: Plan;
  sessions: readonly TargetSession[];
  effects: Effects;
  deps: EngineDeps;
  /** Config repo root (hooks run there). */
  root: string;
  /** Environments not to apply now, with why (a failed revision's retry backing off). */
  hold?: ReadonlyMap<string, string>;
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

    for (const target of targets) {
      const key = sessionKey(target.environment, target.target);
      results.set(key, await applyTarget(target, sessions.get(key), gate, input));
    }
  }
  return { results, environments };
}

function needsApply(change: Change): boolean {
  return change.action !== 'noop' && !change.skipApply;
}

async function applyTarget(
  target: TargetPlan,
  session: TargetSession | undefined,
  gate: string | undefined,
  input: ApplyInput,
): Promise<ChangeResult[]> {
  const failed = new Set<string>();
  const out: ChangeResult[] = [];
  for (const change of target.changes) {
    const base = { server: change.server, action: change.action, diffs: change.diffs };
    if (change.action === 'noop') {
      out.push({
        ...base,
        outcome: 'unchanged',
        ...(change.reason === 'orphan-kept'
          ? { message: 'not in the repo; kept because sync.prune is false' }
          : {}),
      });
      continue;
    }
    if (change.skipApply) {
      out.push({
        ...base,
        outcome: 'skipped',
        message: `drift not corrected (sync.drift: ${target.driftMode ?? 'detect'})`,
      });
      continue;
    }
    if (target.stalled || !session?.provider || !session.ctx) {
      out.push({
        ...base,
        outcome: 'skipped',
        message: `target stalled: ${target.stalled?.reason ?? session?.error ?? 'not observed'}`,
      });
      continue;
    }
    if (gate) {
      out.push({ ...base, outcome: 'skipped', message: `not applied: ${gate}` });
      continue;
    }
    const brokenDep = (change.desired?.spec.dependsOn ?? []).find((d) => failed.has(d));
    if (brokenDep) {
      failed.add(change.server);
      out.push({ ...base, outcome: 'skipped', message: `dependency "${brokenDep}" failed` });
      continue;
    }
    const provider = session.provider;
    const ctx = session.ctx;
    const where = `${target.environment}/${target.target}/${change.server}`;
    const result = await input.effects.run(
      `${change.action} ${change.server} on ${target.environment}/${target.target}`,
      async () => {
        const verb = ACTING[change.action];
        input.deps.progress?.({ where, text: verb, ongoing: verb });
        const done = await applyOne(provider.apply.bind(provider), ctx, change);
        input.deps.progress?.({ where, text: doneText(change, done) });
        return done;
      },
      { ...base, outcome: 'skipped', message: 'dry run' } as ChangeResult,
    );
    input.deps.logger.debug(
      {
        target: `${target.environment}/${target.target}`,
        server: change.server,
        action: change.action,
        reason: change.reason,
        diffs: change.diffs,
        outcome: result.outcome,
        message: result.message,
      },
      'change applied',
    );
    if (result.outcome === 'failed') failed.add(change.server);
    out.push({ ...result, diffs: change.diffs });
  }
  return out;
}

/** Providers should not throw for a failed change; if one does anyway, the throw becomes data. */
async function applyOne(
  apply: (ctx: NonNullable<TargetSession['ctx']>, change: Change) => Promise<ChangeResult>,
  ctx: NonNullable<TargetSession['ctx']>,
  change: Change,
): Promise<ChangeResult> {
  try {
    return await apply(ctx, change);
  } catch (err) {
    const message = redactor.redact(err instanceof Error ? err.message : String(err));
    return { server: change.server, action: change.action, outcome: 'failed', message };
  }
}

const ACTING = { create: 'creating', update: 'updating', delete: 'deleting', noop: 'checking' } as const;
const ACTED = { create: 'created', update: 'updated', delete: 'deleted', noop: 'checked' } as const;

/** The progress line that ends a change: what happened, and why when it failed. */
function doneText(change: Change, result: ChangeResult): string {
  if (result.outcome === 'applied') return ACTED[change.action];
  return `${change.action} ${result.outcome}${result.message ? `: ${result.message}` : ''}`;
}

function planSummary(work: readonly Change[]): string {
  const n = (a: Change['action']) => work.filter((c) => c.action === a).length;
  return `${n('create')} to create, ${n('update')} to update, ${n('delete')} to delete`;
}
