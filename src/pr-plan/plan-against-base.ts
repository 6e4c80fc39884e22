/**
 * A pull request's plan, pure: the PR's desired state against the targets *as the base branch
 * defines them*. A target whose resolved settings (provider, host and every setting: socket,
 * identity, acceptNewHostKey, base dirs, ...) are the same in both is planned against the base's
 * observation of it; a target the PR adds or changes is not observed at all — it is marked
 * deferred ("observed after merge") with the servers it would carry. Targets the PR removes are
 * planned as retired, from the base's observation, with the PR's sync settings.
 */
import type { Plan } from '../core/plan.js';
import type {
  DesiredEnvironment,
  DesiredState,
  DesiredTarget,
  ObservedTarget,
  RetiredTarget,
} from '../core/state.js';
import { buildPlan, type RendererLookup } from '../plan/build-plan.js';
import { canonicalJson } from '../plan/canonical.js';
import { summarizePlan } from '../plan/summarize-plan.js';

/** What the trusted side observed: the base branch's desired state (retired targets included) and its targets. */
export interface BaseView {
  /** Config revision of the base; undefined when the base could not be loaded. */
  revision?: string;
  desired?: DesiredState;
  observed: ObservedTarget[];
  /** Why there is no base to compare with (its config is invalid, say). */
  unavailable?: string;
}

interface BaseTarget {
  environment: DesiredEnvironment;
  target: DesiredTarget;
}

export function planAgainstBase(pr: DesiredState, base: BaseView, renderers: RendererLookup): Plan {
  const baseTargets = new Map<string, BaseTarget>();
  for (const environment of base.desired?.environments ?? [])
    for (const target of environment.targets)
      baseTargets.set(key(environment.name, target.name), { environment, target });
  for (const r of base.desired?.retired ?? [])
    if (!r.unreadable)
      baseTargets.set(key(r.environment.name, r.target.name), {
        environment: r.environment,
        target: r.target,
      });
  const observedBy = new Map(base.observed.map((o) => [key(o.environment, o.target), o]));

  const observed: ObservedTarget[] = [];
  const deferred = new Map<string, { reason: string; servers: string[] }>();
  const inPr = new Set<string>();
  for (const env of pr.environments) {
    for (const target of env.targets) {
      const k = key(env.name, target.name);
      inPr.add(k);
      const servers = target.servers.map((s) => s.name);
      const known = baseTargets.get(k);
      if (!known) {
        deferred.set(k, {
          reason: base.unavailable
            ? `not observed: ${base.unavailable}`
            : 'new in this pull request: targets are observed after merge',
          servers,
        });
        continue;
      }
      const changed = changedSettings(known.target, target);
      if (changed.length > 0) {
        deferred.set(k, {
          reason: `its ${changed.join(', ')} ${changed.length === 1 ? 'changes' : 'change'} in this pull request: the target is observed after merge`,
          servers,
        });
        continue;
      }
      const seen = observedBy.get(k);
      if (seen) observed.push(seen);
    }
  }

  // Base targets the pull request no longer lists: retired, with the PR's sync where the environment stays.
  const retired: RetiredTarget[] = [];
  for (const [k, { environment, target }] of baseTargets) {
    if (inPr.has(k)) continue;
    const now = pr.environments.find((e) => e.name === environment.name);
    retired.push({
      environment: { ...environment, sync: now?.sync ?? environment.sync, hooks: [], targets: [target] },
      target: { ...target, servers: [] },
      ...(base.revision === undefined ? {} : { revision: base.revision }),
      environmentRemoved: now === undefined,
    });
    const seen = observedBy.get(k);
    if (seen) observed.push(seen);
  }

  const plan = buildPlan({ desired: { ...pr, retired }, observed, renderers });
  for (const t of plan.targets) {
    const d = deferred.get(key(t.environment, t.target));
    if (!d) continue;
    delete t.stalled;
    t.deferred = d;
  }
  plan.summary = summarizePlan(plan.targets);
  return plan;
}

/** Setting names (provider, host, then the settings' own keys) whose resolved values differ. */
export function changedSettings(base: DesiredTarget, pr: DesiredTarget): string[] {
  const changed: string[] = [];
  if (base.provider !== pr.provider) changed.push('provider');
  if (base.host !== pr.host) changed.push('host');
  const a = base.settings as unknown as Record<string, unknown>;
  const b = pr.settings as unknown as Record<string, unknown>;
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (name === 'provider' || name === 'host' || name === 'name') continue;
    if (canonicalJson(a[name]) !== canonicalJson(b[name])) changed.push(name);
  }
  return changed;
}

function key(environment: string, target: string): string {
  return `${environment}\u0000${target}`;
}
