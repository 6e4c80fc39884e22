/**
 * The message of the reconciler's own commit (DESIGN.md §6). The trailer marks it, so the
 * reconciler never reacts to its own commits.
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

/** True for a commit message written by `commitMessage` (a trailer line, not just a mention). */
export function isReportCommit(message: string): boolean {
  return message.split('\n').some((line) => line.trim() === REPORT_TRAILER);
}
