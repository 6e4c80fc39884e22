/**
 * The "Updates" section's view model, from the last updates run saved on disk
 * (src/updates/last-report.ts): per server pin, what runs, what is proposed, how many newer
 * releases are held and why, why it could not be checked, and the pull request of its update.
 * Pure. Registry text stays text here (the render escapes it); a link is kept only when it is
 * plainly a web address (http or https), never `javascript:` or anything else.
 */
import type { LastReportRead } from '../../updates/last-report.js';
import type { PullRequestOutcome, ServerUpdates } from '../../updates/types.js';

export interface UpdatePullRequest {
  action: PullRequestOutcome['action'];
  number?: number;
  url?: string;
  detail?: string;
}

export interface UpdateRow {
  server: string;
  environments: string[];
  kind: string;
  identifier: string;
  /** The registry asked (origin only, as the source names it). */
  registry?: string;
  current: string;
  proposed?: string;
  proposedUrl?: string;
  /** `version: why` of each held release. */
  held: string[];
  error?: string;
  skipped?: string;
  warnings: string[];
  pullRequest?: UpdatePullRequest;
}

export interface UpdatesModel {
  /** Why the saved report could not be used (corrupt, unreadable): the section says so. */
  warning?: string;
  /** Absent when no run was saved yet. */
  checkedAt?: string;
  revision?: string;
  requests?: number;
  rows: UpdateRow[];
  pending: number;
  errors: number;
}

export function updatesModel(read: LastReportRead): UpdatesModel {
  const base = { rows: [], pending: 0, errors: 0, ...(read.warning ? { warning: read.warning } : {}) };
  const last = read.last;
  if (!last) return base;
  const rows = last.report.servers.map((s) => row(s, last.outcomes ?? []));
  rows.sort((a, b) =>
    a.server === b.server
      ? a.environments.join(',').localeCompare(b.environments.join(','))
      : a.server < b.server
        ? -1
        : 1,
  );
  return {
    ...base,
    checkedAt: last.report.checkedAt,
    revision: last.report.revision,
    requests: last.report.requests,
    rows,
    pending: rows.filter((r) => r.proposed !== undefined).length,
    errors: rows.filter((r) => r.error !== undefined).length,
  };
}

function row(s: ServerUpdates, outcomes: readonly PullRequestOutcome[]): UpdateRow {
  const proposedUrl = s.proposed?.url ? webLink(s.proposed.url) : undefined;
  const pr = s.proposed ? pullRequestOf(s.server, s.proposed.pin, outcomes) : undefined;
  return {
    server: s.server,
    environments: s.environments,
    kind: s.kind,
    identifier: s.identifier,
    ...(s.registry !== undefined ? { registry: s.registry } : {}),
    current: s.current,
    ...(s.proposed ? { proposed: s.proposed.pin } : {}),
    ...(proposedUrl ? { proposedUrl } : {}),
    held: s.held.map((h) => `${h.version}: ${h.detail}`),
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.skipped !== undefined ? { skipped: s.skipped } : {}),
    warnings: s.warnings ?? [],
    ...(pr ? { pullRequest: pr } : {}),
  };
}

/** The outcome that carries `server@pin` (a group's PR carries every member's). */
function pullRequestOf(
  server: string,
  pin: string,
  outcomes: readonly PullRequestOutcome[],
): UpdatePullRequest | undefined {
  const o =
    outcomes.find((x) => x.versions.includes(`${server}@${pin}`)) ??
    outcomes.find((x) => x.versions.some((v) => v.startsWith(`${server}@`)));
  if (!o) return undefined;
  const url = o.url ? webLink(o.url) : undefined;
  return {
    action: o.action,
    ...(o.number !== undefined ? { number: o.number } : {}),
    ...(url ? { url } : {}),
    ...(o.detail ? { detail: o.detail } : {}),
  };
}

/** The URL when it is http(s) with no credentials in it; anything else is not a link. */
export function webLink(value: string): string | undefined {
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    if (u.username || u.password) return undefined;
    return u.toString();
  } catch {
    return undefined;
  }
}
