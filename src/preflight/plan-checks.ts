/**
 * What a plan's preflight checks (pure): for every change `apply` would make (a create, or an
 * update that is not drift left alone), each secret reference of the desired server and each
 * program its provider needs on the target's host; and every target that could not be observed.
 * Deferred targets (a pull request's new or changed ones) are never checked.
 */
import type { Plan } from '../core/plan.js';
import { type RuntimeNeed, runtimeNeeds } from './runtime-needs.js';

export interface Place {
  environment: string;
  target: string;
}

export interface SecretItem extends Place {
  server: string;
  /** The variable the server sees. */
  name: string;
  ref: string;
}

export interface RuntimeItem extends Place, RuntimeNeed {
  server: string;
  /** The target's host (`local`, `ssh://…`), for messages. */
  host: string;
}

export interface StalledItem extends Place {
  reason: string;
  /** Removed from the repo: there is no YAML to point at. */
  retired: boolean;
}

export interface PlanChecks {
  secrets: SecretItem[];
  runtimes: RuntimeItem[];
  stalled: StalledItem[];
}

export function planChecks(plan: Plan): PlanChecks {
  const checks: PlanChecks = { secrets: [], runtimes: [], stalled: [] };
  for (const t of plan.targets) {
    const place = { environment: t.environment, target: t.target };
    if (t.deferred) continue;
    if (t.stalled) {
      checks.stalled.push({
        ...place,
        reason: t.stalled.reason,
        retired: t.retired !== undefined,
      });
      continue;
    }
    for (const change of t.changes) {
      const applies = (change.action === 'create' || change.action === 'update') && !change.skipApply;
      if (!applies || !change.desired) continue;
      const { spec } = change.desired;
      const server = change.server;
      // kubernetes: secrets are secretKeyRefs the cluster resolves; they are never read here.
      // Literals, not spreads: a plan of 10,000 servers on two targets has ~40,000 items, and
      // spread literals built each one as a slow-mode object (~0.5 KiB, ~21 MiB in all) that
      // lived through the whole preflight and so was promoted into old space (issue 16).
      const { environment, target } = place;
      if (t.provider !== 'kubernetes')
        for (const binding of spec.secrets ?? [])
          checks.secrets.push({ environment, target, server, name: binding.name, ref: binding.ref });
      for (const need of runtimeNeeds(t.provider, spec))
        checks.runtimes.push({
          environment,
          target,
          server,
          host: t.host,
          program: need.program,
          why: need.why,
          hint: need.hint,
          field: need.field,
        });
    }
  }
  return checks;
}
