/**
 * Which servers `plan --verify-new` starts: every server the plan would create, or update because
 * the repo changed its spec (a drift correction puts back a spec that already ran, so it has
 * nothing new to show). The same spec planned on several targets is one candidate. Pure.
 */
import type { Plan } from '../../core/plan.js';
import { canonicalJson } from '../../plan/canonical.js';
import { lockVersion } from '../lock/lock-path.js';
import type { VerifyNewCandidate } from './types.js';

export function selectCandidates(plan: Plan): VerifyNewCandidate[] {
  const byKey = new Map<string, VerifyNewCandidate>();
  for (const target of plan.targets) {
    if (target.stalled || target.deferred) continue;
    for (const change of target.changes) {
      const desired = change.desired;
      if (!desired) continue;
      if (change.action !== 'create' && !(change.action === 'update' && change.reason === 'spec')) continue;
      const version = lockVersion(desired.spec);
      const before = change.observed?.spec ? lockVersion(change.observed.spec) : undefined;
      const key = `${desired.name}\u0000${canonicalJson(desired.spec)}`;
      const where = `${change.environment}/${change.target}`;
      const known = byKey.get(key);
      if (known) {
        if (!known.targets.includes(where)) known.targets.push(where);
        known.previousVersion ??= before !== version ? before : undefined;
        if (known.previousVersion === undefined) delete known.previousVersion;
        continue;
      }
      byKey.set(key, {
        server: desired.name,
        version,
        ...(before !== undefined && before !== version ? { previousVersion: before } : {}),
        desired,
        targets: [where],
      });
    }
  }
  const out = [...byKey.values()];
  for (const c of out) c.targets.sort();
  return out.sort((a, b) =>
    a.server < b.server
      ? -1
      : a.server > b.server
        ? 1
        : a.version < b.version
          ? -1
          : a.version > b.version
            ? 1
            : 0,
  );
}
