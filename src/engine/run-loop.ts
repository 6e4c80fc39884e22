/**
 * The target-facing middle of the loop, given a desired state: observe → plan (with its preflight
 * warnings) → apply → verify, with the postApply / drift / failure hooks. Git (load, reports,
 * commit, tag) is around it in `reconcile.ts`, so this part runs the same against real providers
 * and in-memory ones.
 */
import type { Plan } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import type { HookEvent } from '../core/resources.js';
import type { DesiredState, ObservedTarget } from '../core/state.js';
import { hooksFor, runHooks } from '../hooks/run-hooks.js';
import { buildPlan } from '../plan/build-plan.js';
import { plaintextWarnings } from '../plan/plaintext-warnings.js';
import { withWarnings } from '../plan/plan-warnings.js';
import { runPreflight } from '../preflight/run-preflight.js';
import type { SourceLocator } from '../preflight/source-locator.js';
import { applyPlan } from './apply-plan.js';
import type { Effects } from './effects.js';
import { observeTargets } from './observe-targets.js';
import type { RecheckScope } from './recheck-servers.js';
import { shareVerifications } from './share-verifications.js';
import { attachSurfaceDrift, attachVerifiedDrift, type RecordedSurface } from './surface-drift.js';
import { closeSessions, openSessions, sessionKey } from './target-session.js';
import type { EngineDeps, EnvironmentRun, TargetRun } from './types.js';
import { appliedGates, verifyAfter } from './verify-after.js';
import { verifyTarget } from './verify-changes.js';

export interface LoopInput {
  desired: DesiredState;
  deps: EngineDeps;
  effects: Effects;
  root: string;
  /** Stop after planning (plan, drift). */
  planOnly?: boolean;
  /** Check the fresh plan against this one before applying (a saved plan); throws when stale. */
  checkPlan?: (fresh: Plan) => void;
  /** Verify servers the run did not change too (the steady loop: `all`). */
  recheck?: RecheckScope;
  /** Environments not to apply now, with why (see `EnvironmentRun.held`). */
  hold?: ReadonlyMap<string, string>;
  /** Where the config declares what preflight warns about (their FILE:LINE); see load-desired.ts. */
  sources?: SourceLocator;
  /**
   * `ToolsChanged` drift on the plan's changes: surfaces compared with their locks or, with none,
   * with what their last reports recorded. With `planOnly` (drift) the running servers are spoken
   * to for it; otherwise the servers the run verified again without changing them are judged.
   */
  surfaces?: { recorded?: RecordedSurface };
}

export interface LoopOutput {
  plan: Plan;
  observed: ObservedTarget[];
  targets: TargetRun[];
  environments: EnvironmentRun[];
}

export async function runLoop(input: LoopInput): Promise<LoopOutput> {
  const { desired, deps, effects } = input;
  const sessions = openSessions(desired, deps);
  try {
    const observed = await observeTargets(sessions, deps);
    const planned = buildPlan({ desired, observed, renderers: (id) => deps.provider(id) });
    // What apply would fail on (secrets that do not resolve, programs a host lacks, targets that
    // did not answer): warnings in the plan, never a change of it.
    const preflight = await runPreflight({
      plan: planned,
      hostOf: (environment, target) =>
        sessions.find((s) => s.environment.name === environment && s.target.name === target)?.ctx?.host,
      secrets: deps.secrets,
      sources: input.sources,
    });
    // Plaintext secrets in entries mcp-gitops does not manage: warnings too, never a change.
    const warnings = [...preflight, ...plaintextWarnings(observed)];
    for (const w of warnings)
      deps.logger.warn(
        { environment: w.environment, target: w.target, server: w.server, code: w.code },
        w.message,
      );
    const plan = withWarnings(planned, warnings);
    deps.logger.debug({ revision: plan.revision, summary: plan.summary, blocked: plan.blocked }, 'planned');
    const observedBy = new Map(observed.map((o) => [sessionKey(o.environment, o.target), o]));
    if (input.planOnly) {
      if (input.surfaces)
        await attachSurfaceDrift({ plan, sessions, deps, recorded: input.surfaces.recorded });
      const targets = plan.targets.map((t) =>
        targetRun(t, observedBy.get(sessionKey(t.environment, t.target)), []),
      );
      return { plan, observed, targets, environments: [] };
    }
    input.checkPlan?.(plan);

    // Each target is verified as soon as it is applied: a slow target never holds up the others
    // (a client-config target waits for the targets that run its servers: verify-after.ts).
    const verifying = new Map<string, Promise<TargetRun['verified'] | undefined>>();
    const gates = appliedGates(plan.targets.map((t) => sessionKey(t.environment, t.target)));
    const registersOnly = (t: Plan['targets'][number]) =>
      sessions.find((s) => s.environment.name === t.environment && s.target.name === t.target)?.provider
        ?.registersOnly === true;
    const verify = (key: string, changes: Plan['targets'][number]['changes'], results: ChangeResult[]) => {
      const session = sessions.find((s) => sessionKey(s.environment.name, s.target.name) === key);
      if (!session) return undefined;
      const started = verifyTarget({ session, changes, results, effects, deps, recheck: input.recheck });
      started.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      return started;
    };
    const applied = await applyPlan({
      plan,
      sessions,
      effects,
      deps,
      root: input.root,
      hold: input.hold,
      onTargetApplied: (tp, results) => {
        const key = sessionKey(tp.environment, tp.target);
        gates.open(key);
        const wait = verifyAfter(plan, tp, registersOnly);
        const started =
          wait.length === 0
            ? verify(key, tp.changes, results)
            : gates.after(wait).then(() => verify(key, tp.changes, results));
        started?.catch(() => undefined); // awaited below
        if (started) verifying.set(key, started);
      },
    }).finally(() => gates.openAll());
    const targets = await Promise.all(
      plan.targets.map(async (tp) => {
        const key = sessionKey(tp.environment, tp.target);
        const results = applied.results.get(key) ?? [];
        const run = targetRun(tp, observedBy.get(key), results);
        const verified = await (verifying.get(key) ?? verify(key, tp.changes, results));
        if (verified) run.verified = verified;
        return run;
      }),
    );
    shareVerifications(targets);
    attachVerifiedDrift({ plan, targets, deps, recorded: input.surfaces?.recorded });
    await runAfterHooks(plan, targets, applied.environments, input);
    return { plan, observed, targets, environments: applied.environments };
  } finally {
    await closeSessions(sessions);
  }
}

function targetRun(
  tp: Plan['targets'][number],
  observed: ObservedTarget | undefined,
  results: ChangeResult[],
): TargetRun {
  return {
    environment: tp.environment,
    target: tp.target,
    provider: tp.provider,
    host: tp.host,
    observed: observed ?? {
      environment: tp.environment,
      target: tp.target,
      reachable: false,
      reason: tp.stalled?.reason,
      servers: [],
    },
    results,
    verified: new Map(),
  };
}

/** Counts of one environment's run, as hooks and commit messages see them. */
export function countOutcomes(plan: Plan, targets: readonly TargetRun[], environment: string) {
  const runs = targets.filter((t) => t.environment === environment);
  const results = runs.flatMap((t) => t.results);
  const drifted = plan.targets
    .filter((t) => t.environment === environment)
    .flatMap((t) => t.changes)
    .filter((c) => c.reason === 'drift').length;
  // Servers whose tool surface differs from their lock under `health.tools: warn` (surface drift).
  const toolsChanged = runs
    .flatMap((t) => [...t.verified.values()])
    .filter((v) => v.ok && v.toolsVerdict?.status === 'changed').length;
  return {
    changed: results.filter((r) => r.outcome === 'applied').length,
    failed: results.filter((r) => r.outcome === 'failed' || r.outcome === 'rolled-back').length,
    drifted,
    toolsChanged,
    stalled: plan.targets.filter((t) => t.environment === environment && t.stalled).length,
  };
}

async function runAfterHooks(
  plan: Plan,
  targets: readonly TargetRun[],
  environments: EnvironmentRun[],
  input: LoopInput,
) {
  for (const run of environments) {
    const hooks = input.desired.environments.find((e) => e.name === run.environment)?.hooks ?? [];
    if (hooks.length === 0) continue;
    const counts = countOutcomes(plan, targets, run.environment);
    const summary = `${counts.changed} changed, ${counts.failed} failed, ${counts.drifted} drifted${counts.toolsChanged ? `, ${counts.toolsChanged} with changed tools` : ''}`;
    const events: HookEvent[] = [];
    if (counts.changed + counts.failed > 0) events.push('postApply');
    if (counts.drifted > 0 || counts.toolsChanged > 0) events.push('drift');
    if (counts.failed > 0 || counts.stalled > 0 || run.gate) events.push('failure');
    for (const event of events.filter((e) => hooksFor(hooks, e, run.environment).length > 0)) {
      const res = await input.effects.run(
        `${event} hooks of ${run.environment}`,
        () =>
          runHooks(
            hooks,
            {
              event,
              environment: run.environment,
              summary,
              revision: plan.revision,
              root: input.root,
              ...counts,
            },
            input.deps.logger,
          ),
        { results: [] },
      );
      run.hooks.push(...res.results);
    }
  }
}
