/**
 * The planner (pure): desired state + what each target reported → a Plan. Per environment, per
 * target, per server: create / update (spec or drift) / noop, then deletions or kept orphans; then
 * targets removed from the repo (all their servers are orphans); then the `maxDeletions` gate per
 * environment, counting every deletion in it, removed targets' included; the targets of a suspended
 * environment (`sync.suspend`) are marked so. Fleet targets are only named (`Plan.fleet`): their
 * machines' agents plan and apply them. Output depends only on the input, so the same input
 * gives the same plan.
 */
import { McpGitopsError } from '../core/errors.js';
import type { Change, FleetTargetNote, Plan, TargetPlan } from '../core/plan.js';
import type { DesiredEnvironment, DesiredState, DesiredTarget, ObservedTarget } from '../core/state.js';
import type { Provider } from '../providers/types.js';
import { planOrphans } from './plan-orphans.js';
import { planRetiredTarget } from './plan-retired.js';
import { planServer } from './plan-server.js';
import { summarizePlan } from './summarize-plan.js';
import { markSuspended } from './suspension.js';

export type Renderer = Pick<Provider, 'render'>;
export type RendererLookup = ReadonlyMap<string, Renderer> | ((providerId: string) => Renderer);

export interface BuildPlanInput {
  desired: DesiredState;
  observed: readonly ObservedTarget[];
  renderers: RendererLookup;
  revision?: string;
}

export function buildPlan(input: BuildPlanInput): Plan {
  const observed = new Map(input.observed.map((o) => [key(o.environment, o.target), o]));
  const targets: TargetPlan[] = [];
  const limits = new Map<string, number>();
  for (const env of input.desired.environments) {
    limits.set(env.name, env.sync.maxDeletions);
    targets.push(
      ...env.targets.map((t) =>
        planTarget(env, t, observed.get(key(env.name, t.name)), () => lookup(input.renderers, t.provider)),
      ),
    );
  }
  // Targets removed from the repo; a removed environment keeps its old maxDeletions.
  for (const retired of input.desired.retired ?? []) {
    const env = retired.environment;
    if (!limits.has(env.name)) limits.set(env.name, env.sync.maxDeletions);
    targets.push(planRetiredTarget(retired, observed.get(key(env.name, retired.target.name))));
  }
  const environments = [...limits.keys()];
  const blocked: Plan['blocked'] = [];
  for (const env of environments) {
    const max = limits.get(env) ?? 0;
    const deletions = targets
      .filter((t) => t.environment === env)
      .flatMap((t) => t.changes)
      .filter((c) => c.action === 'delete').length;
    if (deletions <= max) continue;
    const removed = !input.desired.environments.some((e) => e.name === env);
    blocked.push({
      environment: env,
      reason: removed
        ? `the plan deletes ${deletions} servers of the removed environment "${env}", more than its last sync.maxDeletions (${max}); ` +
          'restore the environment with a higher sync.maxDeletions (or fewer targets removed), reconcile, then remove it'
        : `the plan deletes ${deletions} servers, more than sync.maxDeletions (${max}); ` +
          `raise sync.maxDeletions in environment "${env}" or remove fewer servers at a time`,
    });
  }
  const revision = input.revision ?? input.desired.revision;
  const fleet: FleetTargetNote[] = input.desired.environments.flatMap((env) =>
    (env.fleet ?? []).map((t) => ({
      environment: env.name,
      target: t.name,
      servers: t.servers.map((s) => s.name),
    })),
  );
  return {
    formatVersion: 1,
    ...(revision === undefined ? {} : { revision }),
    environments,
    targets: markSuspended(targets, input.desired.environments),
    ...(fleet.length > 0 ? { fleet } : {}),
    blocked,
    summary: summarizePlan(targets),
  };
}

function planTarget(
  env: DesiredEnvironment,
  target: DesiredTarget,
  observed: ObservedTarget | undefined,
  renderer: () => Renderer,
): TargetPlan {
  const base: TargetPlan = {
    environment: env.name,
    target: target.name,
    provider: target.provider,
    host: target.host,
    driftMode: env.sync.drift,
    changes: [],
  };
  if (!observed) return { ...base, stalled: { reason: 'the target was not observed' } };
  if (!observed.reachable)
    return { ...base, stalled: { reason: observed.reason ?? 'the target is unreachable' } };

  const found = new Map(observed.servers.map((s) => [s.name, s]));
  const changes: Change[] = target.servers.map((desired) =>
    planServer({
      environment: env.name,
      target: target.name,
      desired,
      observed: found.get(desired.name),
      driftMode: env.sync.drift,
      render: () => renderer().render(desired, target, env),
    }),
  );
  const wanted = new Set(target.servers.map((s) => s.name));
  const orphans = observed.servers.filter((s) => !wanted.has(s.name));
  changes.push(...planOrphans(env.name, target.name, orphans, env.sync.prune));
  return { ...base, changes };
}

function lookup(renderers: RendererLookup, providerId: string): Renderer {
  const renderer = typeof renderers === 'function' ? renderers(providerId) : renderers.get(providerId);
  if (!renderer) {
    throw new McpGitopsError('ERR_PROVIDER', `no provider "${providerId}" to render desired servers with`, {
      hint: 'check the target\'s "provider" field against `mcp-gitops` providers',
    });
  }
  return renderer;
}

function key(environment: string, target: string): string {
  return `${environment}\u0000${target}`;
}
