/**
 * The plan of a target removed from the repo (pure): every server its provider found there (a
 * provider observes only what mcp-gitops owns) is an orphan — deleted when prune applies, kept
 * and reported otherwise — exactly like a server removed from a target that stays.
 */
import type { TargetPlan } from '../core/plan.js';
import type { ObservedTarget, RetiredTarget } from '../core/state.js';
import { planOrphans } from './plan-orphans.js';

export function planRetiredTarget(retired: RetiredTarget, observed: ObservedTarget | undefined): TargetPlan {
  const { environment, target } = retired;
  const prune = environment.sync.prune;
  const base: TargetPlan = {
    environment: environment.name,
    target: target.name,
    provider: target.provider,
    host: target.host,
    driftMode: environment.sync.drift,
    retired: {
      ...(retired.revision === undefined ? {} : { revision: retired.revision }),
      environmentRemoved: retired.environmentRemoved,
      prune,
    },
    changes: [],
  };
  if (retired.unreadable) return { ...base, stalled: { reason: retired.unreadable } };
  if (!observed) return { ...base, stalled: { reason: 'the target was not observed' } };
  if (!observed.reachable)
    return { ...base, stalled: { reason: observed.reason ?? 'the target is unreachable' } };
  return { ...base, changes: planOrphans(environment.name, target.name, observed.servers, prune) };
}
