/**
 * The one log line of a scheduled updates run, as counts: servers checked, proposed, held, could
 * not be checked, skipped, registry requests, and pull requests by action. Counts only: no version,
 * package or registry text (that is untrusted and lives in the saved report), no credential.
 */
import type { PullRequestOutcome, UpdatesReport } from '../updates/types.js';

export interface UpdatesSummary {
  revision: string;
  servers: number;
  proposed: number;
  held: number;
  errors: number;
  skipped: number;
  requests: number;
  durationMs: number;
  pullRequests?: Partial<Record<PullRequestOutcome['action'], number>>;
}

export function summarizeUpdates(
  report: UpdatesReport,
  outcomes?: readonly PullRequestOutcome[],
): UpdatesSummary {
  const s = report.servers;
  const pullRequests: Partial<Record<PullRequestOutcome['action'], number>> = {};
  for (const o of outcomes ?? []) pullRequests[o.action] = (pullRequests[o.action] ?? 0) + 1;
  return {
    revision: /^[0-9a-f]{40}$/.test(report.revision) ? report.revision.slice(0, 12) : 'worktree',
    servers: s.length,
    proposed: s.filter((x) => x.proposed).length,
    held: s.reduce((n, x) => n + x.held.length, 0),
    errors: s.filter((x) => x.error !== undefined).length,
    skipped: s.filter((x) => x.skipped !== undefined).length,
    requests: report.requests,
    durationMs: Math.round(report.durationMs),
    ...(outcomes ? { pullRequests } : {}),
  };
}
