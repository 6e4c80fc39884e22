/**
 * `mcp-gitops updates --open-prs [--dry-run]`: the part of the `updates` command (updates.ts) that
 * turns its report into branches and pull requests (src/updates/pull-requests/), and prints one
 * line per change: what was done, the branch, the versions and the pull request's URL. With
 * --dry-run nothing is asked of the forge, pushed or started: each line says what would be opened.
 */
import { redactor } from '../../log/redact.js';
import type { PullRequestOutcome, UpdatesReport } from '../../updates/types.js';

export interface OpenPrsFlags {
  dryRun?: boolean;
  /** Skip the scratch verification of new versions (no tool diff, no new lock). */
  verify?: boolean;
  /** Token for the git remote the update branches are pushed to (already registered with the redactor). */
  gitToken?: string;
}

const URL_SHAPE = /^https?:\/\/[A-Za-z0-9.:\-/_~%#+]{1,500}$/;

/** One line per outcome, e.g. `opened   mcp-gitops/update-memory  memory@1.1.0  https://…/pull/7`. */
export function formatOutcome(outcome: PullRequestOutcome, dryRun = false): string {
  const action = dryRun && outcome.action === 'opened' ? 'would open or update' : outcome.action;
  const parts = [action.padEnd(16), outcome.branch || outcome.name, outcome.versions.join(', ')];
  if (outcome.url && URL_SHAPE.test(outcome.url)) parts.push(outcome.url);
  else if (outcome.number !== undefined) parts.push(`#${outcome.number}`);
  if (outcome.detail) parts.push(`(${outcome.detail})`);
  return redactor.redact(parts.join('  ').replace(/[\u0000-\u001f\u007f]/g, ' '));
}

export interface OpenPrsResult {
  outcomes: PullRequestOutcome[];
  text: string;
  /** Some change failed: the command exits non-zero after printing every line. */
  failed: boolean;
}

export async function runUpdatesOpenPrs(
  dir: string,
  report: UpdatesReport,
  flags: OpenPrsFlags = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpenPrsResult> {
  const [{ openUpdatePullRequests }, { tokenAuth }] = await Promise.all([
    import('../../updates/pull-requests/open-update-prs.js'),
    import('../../remote/remote-auth.js'),
  ]);
  const onAuth = tokenAuth(flags.gitToken);
  const outcomes = await openUpdatePullRequests({
    dir,
    report,
    env,
    dryRun: flags.dryRun === true,
    verify: flags.verify !== false,
    ...(onAuth ? { onAuth } : {}),
    progress: (line) => process.stderr.write(`${redactor.redact(line)}\n`),
  });
  const lines = outcomes.map((o) => formatOutcome(o, flags.dryRun === true));
  if (lines.length === 0) lines.push('no update to propose: nothing opened');
  return { outcomes, text: `${lines.join('\n')}\n`, failed: outcomes.some((o) => o.action === 'failed') };
}
