/**
 * The message of the reconciler's own commit (DESIGN.md §6). The trailer marks it, so the
 * reconciler never reacts to its own commits. A rollback's report commit says so in its subject
 * (`rollback(dev): to dev/v1.0.0, …`) and names the config revision it applied: its own tree
 * holds the branch head's config, which is not what the targets run.
 */
import { redactor } from '../log/redact.js';

export const REPORT_TRAILER = 'Mcp-Gitops-Report: true';

export interface RunCounts {
  changed: number;
  failed: number;
  drifted: number;
}

export function commitMessage(env: string, counts: RunCounts): string {
  const subject = `reconcile(${env}): ${counts.changed} changed, ${counts.failed} failed, ${counts.drifted} drifted`;
  return redactor.redact(`${subject}\n\n${REPORT_TRAILER}\n`);
}

/** Trailers of a rollback's report commit: the tag rolled back to, and the config revision applied. */
export const ROLLBACK_TRAILER = 'Mcp-Gitops-Rollback-To';
export const APPLIED_TRAILER = 'Mcp-Gitops-Applied-Revision';

export interface RollbackSource {
  /** The tag rolled back to, e.g. `dev/v1.0.0`. */
  tag: string;
  /** The commit that tag names: the config revision applied. */
  revision: string;
}

export function rollbackCommitMessage(
  env: string,
  source: RollbackSource,
  counts: RunCounts,
  notes: readonly string[] = [],
): string {
  const subject =
    `rollback(${env}): to ${source.tag}, ${counts.changed} changed, ${counts.failed} failed, ` +
    `${counts.drifted} drifted`;
  const body = [
    ...notes,
    `Applied the config of ${source.tag} (revision ${source.revision}); the tree of this commit ` +
      "holds the branch head's config, which is not what was applied.",
  ];
  const trailers = [
    `${ROLLBACK_TRAILER}: ${source.tag}`,
    `${APPLIED_TRAILER}: ${source.revision}`,
    REPORT_TRAILER,
  ];
  return redactor.redact(`${subject}\n\n${body.join('\n\n')}\n\n${trailers.join('\n')}\n`);
}

/** True for a commit message written by `commitMessage` (a trailer line, not just a mention). */
export function isReportCommit(message: string): boolean {
  return message.split('\n').some((line) => line.trim() === REPORT_TRAILER);
}
