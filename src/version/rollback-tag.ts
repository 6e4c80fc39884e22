/**
 * A rollback always makes a new version of its environment (DESIGN.md §6: "`rollback --to
 * prod/v1.4.0` reconciles to that tag's tree and tags anew"): what the targets run changed hands,
 * even when nothing on them had to change. When the applied changes give no bump (none, or
 * repairs only) it is a patch. The tag points at the rollback's report commit, whose tree holds
 * the branch head's config; its message says which config revision was really applied.
 */
import semver from 'semver';
import type { RollbackSource } from '../report/commit-message.js';
import type { NextVersion } from './next-version.js';

/** The version a rollback with nothing to release gets: the next patch, or 1.0.0 for the first. */
export function rollbackVersion(previous: string | undefined, tag: string): NextVersion {
  const base = previous === undefined ? undefined : semver.valid(previous);
  const reason = `rolled back to ${tag}; nothing on the targets had to change`;
  if (!base) return { version: '1.0.0', bump: 'patch', reasons: [reason] };
  return { version: semver.inc(base, 'patch') as string, bump: 'patch', reasons: [reason] };
}

/** The lines of a rollback's tag message that say what was applied and where to read it. */
export function rollbackTagLines(source: RollbackSource): string[] {
  return [
    `rollback to: ${source.tag}`,
    `config applied: ${source.revision} (the config of ${source.tag}; this tag's own tree holds the branch head's config)`,
  ];
}
