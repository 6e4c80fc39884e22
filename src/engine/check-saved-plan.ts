/**
 * A saved plan (`plan --out FILE`, then `apply --plan FILE`) is applied only if nothing moved
 * since: the same config revision, and the same changes planned from what the targets show now.
 */

import { McpGitopsError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { canonicalJson } from '../plan/canonical.js';

export function checkSavedPlan(saved: Plan, fresh: Plan, revision: string): void {
  if (saved.revision !== undefined && saved.revision !== revision) {
    throw stale(
      `it was made at revision ${saved.revision.slice(0, 12)}, the config is now at ${revision.slice(0, 12)}`,
    );
  }
  const a = fingerprint(saved);
  const b = fingerprint(fresh);
  if (a !== b) throw stale('the targets no longer match what was observed when it was made');
}

function fingerprint(plan: Plan): string {
  return canonicalJson({
    environments: plan.environments,
    blocked: plan.blocked,
    targets: plan.targets.map((t) => ({
      environment: t.environment,
      target: t.target,
      stalled: t.stalled?.reason ?? null,
      changes: t.changes.map((c) => ({
        server: c.server,
        action: c.action,
        reason: c.reason,
        skip: c.skipApply ?? false,
        diffs: c.diffs,
      })),
    })),
  });
}

function stale(why: string): McpGitopsError {
  return new McpGitopsError('ERR_PLAN_FILE', `the saved plan is stale: ${why}`, {
    hint: 'make a new plan with `mcp-gitops plan --out FILE` and apply that one',
  });
}
