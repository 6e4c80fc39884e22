/**
 * One update run into the update metrics: per checked server (a server pinned per environment has
 * several entries: pending if any proposes, errors counted), the proposed versions that look like
 * versions, the pull requests by action, and the time of the check. Series of servers no longer
 * in the report are dropped. Pure over prom-client objects: no I/O.
 */
import type { PullRequestOutcome, UpdatesReport } from '../updates/types.js';
import type { UpdateMetrics } from './update-metrics.js';

/** A config server name (the schema's `metadata.name`): a DNS label. */
const SERVER = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A version or tag as registries write them (semver, PEP 440, OCI tags): nothing else is a label. */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export function isLabelSafeVersion(v: string): boolean {
  return VERSION.test(v);
}

export function recordUpdates(
  metrics: UpdateMetrics,
  report: UpdatesReport,
  outcomes: readonly PullRequestOutcome[] = [],
): void {
  const pending = new Map<string, number>();
  const errors = new Map<string, number>();
  const proposed = new Set<string>();
  for (const s of report.servers) {
    // A server with nothing to check (a command, `allow: none`) has no series: it is not pending.
    if (s.skipped !== undefined || !SERVER.test(s.server)) continue;
    pending.set(s.server, Math.max(pending.get(s.server) ?? 0, s.proposed ? 1 : 0));
    errors.set(s.server, (errors.get(s.server) ?? 0) + (s.error ? 1 : 0));
    if (s.proposed && VERSION.test(s.proposed.version))
      proposed.add(`${s.server}\u0000${s.proposed.version}`);
  }
  for (const gone of metrics.servers)
    if (!pending.has(gone)) {
      metrics.pending.remove({ server: gone });
      metrics.checkErrors.remove({ server: gone });
    }
  for (const [server, value] of pending) {
    metrics.pending.set({ server }, value);
    metrics.checkErrors.set({ server }, errors.get(server) ?? 0);
  }
  metrics.servers = new Set(pending.keys());
  for (const key of metrics.proposed) if (!proposed.has(key)) metrics.proposedInfo.remove(labelsOf(key));
  for (const key of proposed) metrics.proposedInfo.set(labelsOf(key), 1);
  metrics.proposed = proposed;
  for (const o of outcomes) metrics.pullRequests.inc({ action: o.action });
  const at = Date.parse(report.checkedAt);
  if (!Number.isNaN(at)) metrics.lastCheck.set(at / 1000);
}

function labelsOf(key: string): { server: string; version: string } {
  const [server = '', version = ''] = key.split('\u0000');
  return { server, version };
}
