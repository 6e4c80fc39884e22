/**
 * The next semver tag of an environment after an apply (DESIGN.md §6). The first is 1.0.0.
 * Major: a server removed, its transport changed, or its package's major version raised.
 * Minor: a server or target added, or a package's minor version raised. Patch: anything else.
 * Only changes that were really applied count; nothing applied means no new version. Repairs are
 * not releases: a change that corrected drift (a hand edit undone, a dead process restarted)
 * makes no new version on its own.
 */
import semver from 'semver';
import { McpGitopsError } from '../core/errors.js';
import type { Change } from '../core/plan.js';

export type Bump = 'major' | 'minor' | 'patch';

export interface NextVersion {
  version: string;
  bump: Bump;
  /** Why, for the tag message: the reasons of the bump level chosen. */
  reasons: string[];
}

export interface VersionContext {
  /** Targets of the environment that did not exist at the previous tag. */
  addedTargets: readonly string[];
}

/** A repair, not a release: the change corrected drift on a target (the spec is unchanged). */
export function isRepair(change: Change): boolean {
  return change.reason === 'drift';
}

const RANK: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

export function nextVersion(
  previous: string | undefined,
  applied: readonly Change[],
  env: string,
  context: VersionContext,
): NextVersion | undefined {
  const changes = applied.filter(
    (c) => c.environment === env && c.action !== 'noop' && !c.skipApply && !isRepair(c),
  );
  if (changes.length === 0) return undefined;
  if (previous === undefined)
    return { version: '1.0.0', bump: 'major', reasons: [`first release of ${env}`] };
  const base = semver.valid(previous);
  if (!base) {
    throw new McpGitopsError(
      'ERR_GIT',
      `the latest tag of ${env} has version "${previous}", which is not semver`,
      {
        hint: 'tags of an environment must look like <prefix>MAJOR.MINOR.PATCH, e.g. dev/v1.2.3',
      },
    );
  }
  const found: { bump: Bump; reason: string }[] = [
    ...context.addedTargets.map((t) => ({ bump: 'minor' as const, reason: `target ${t} added` })),
    ...changes.flatMap(classify),
  ];
  const bump = found.reduce<Bump>((max, f) => (RANK[f.bump] > RANK[max] ? f.bump : max), 'patch');
  const reasons = [...new Set(found.filter((f) => f.bump === bump).map((f) => f.reason))];
  return { version: semver.inc(base, bump)!, bump, reasons };
}

function classify(change: Change): { bump: Bump; reason: string }[] {
  const where = `${change.server} on ${change.target}`;
  if (change.action === 'delete') return [{ bump: 'major', reason: `server ${where} removed` }];
  if (change.action === 'create') return [{ bump: 'minor', reason: `server ${where} added` }];
  const out: { bump: Bump; reason: string }[] = [];
  for (const diff of change.diffs) {
    if (diff.path === 'transport' && diff.before !== undefined && diff.after !== undefined) {
      out.push({
        bump: 'major',
        reason: `${where}: transport ${String(diff.before)} → ${String(diff.after)}`,
      });
    }
    if (diff.path === 'package.version') {
      const raised = versionRaise(diff.before, diff.after);
      if (raised)
        out.push({
          bump: raised,
          reason: `${where}: package ${String(diff.before)} → ${String(diff.after)}`,
        });
    }
  }
  if (out.length === 0) out.push({ bump: 'patch', reason: `${where} updated` });
  return out;
}

function versionRaise(before: unknown, after: unknown): Bump | undefined {
  const b = typeof before === 'string' ? semver.coerce(before) : null;
  const a = typeof after === 'string' ? semver.coerce(after) : null;
  if (!a || !b) return undefined;
  if (a.major > b.major) return 'major';
  if (a.major === b.major && a.minor > b.minor) return 'minor';
  return undefined;
}
