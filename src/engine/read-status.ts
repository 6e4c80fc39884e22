/**
 * `status`: the reports committed at HEAD, when each environment's were last recorded (the commit
 * that last changed `reports/<env>/`, and its time: a reconcile with nothing to do writes
 * nothing, so this is the last run that found something to record), and which environments HEAD's
 * config suspends (`sync.suspend`: true from the commit that set it, before any reconcile has
 * reported it). No target is touched. Fleet targets' aggregates (`reports/<env>/fleet/`) are read
 * apart from target reports.
 */
import { loadConfig } from '../config/load-config.js';
import type { ConfigSet } from '../core/config-set.js';
import { McpGitopsError } from '../core/errors.js';
import type { TargetReport } from '../core/report.js';
import type { FleetAggregate } from '../fleet/aggregate/aggregate.js';
import { readAggregatesAt } from '../fleet/aggregate/read-aggregates.js';
import { lastChange } from '../git/last-change.js';
import { openRepo } from '../git/open-repo.js';
import type { SuspendedEnvironment } from '../plan/suspension.js';
import { resolveRepository, resolveSync } from '../resolve/resolve-defaults.js';
import { readReportsAt } from './write-reports.js';

/** The commit that last changed an environment's reports. */
export interface ReportsAsOf {
  environment: string;
  commit: string;
  /** Its commit time, ISO 8601 UTC to the second. */
  time: string;
}

/** How far back to look for the commit that last changed an environment's reports. */
const AS_OF_DEPTH = 2000;

export interface StatusResult {
  revision: string;
  /** Per environment with reports, sorted by name; missing when not found within AS_OF_DEPTH. */
  asOf: ReportsAsOf[];
  reportsDir: string;
  reports: TargetReport[];
  /** Fleet targets' aggregates (`reports/<env>/fleet/<target>.json`), sorted by environment and target. */
  fleet: FleetAggregate[];
  /** Environments whose `sync.suspend` is true in the config at HEAD. */
  suspended: SuspendedEnvironment[];
}

export async function readStatus(repoDir: string, environment?: string): Promise<StatusResult> {
  const repo = await openRepo(repoDir);
  const head = await repo.head();
  if (!head) {
    throw new McpGitopsError('ERR_NOT_A_REPO', `${repo.dir} has no commits yet`, {
      hint: 'run `mcp-gitops reconcile` first',
    });
  }
  const { config } = await loadConfig({ root: repo.dir, source: 'revision', rev: head });
  const reportsDir = resolveRepository(config.repository?.value).reportsDir.replace(/\/+$/, '');
  const all = [...(await readReportsAt(repo, head, reportsDir)).values()];
  const reports = all.filter((r) => environment === undefined || r.environment === environment);
  const allFleet = await readAggregatesAt(repo, head, reportsDir);
  const fleet = allFleet.filter((a) => environment === undefined || a.environment === environment);
  if (environment !== undefined && reports.length === 0 && fleet.length === 0) {
    const known = [...new Set([...all, ...allFleet].map((r) => r.environment))];
    throw new McpGitopsError('ERR_USAGE', `no committed reports for environment "${environment}"`, {
      hint:
        known.length > 0
          ? `environments with reports: ${known.join(', ')}`
          : 'run `mcp-gitops reconcile` first',
    });
  }
  const asOf: ReportsAsOf[] = [];
  for (const env of [...new Set([...reports, ...fleet].map((r) => r.environment))].sort()) {
    const last = await lastChange(repo, head, `${reportsDir}/${env}`, AS_OF_DEPTH);
    if (last) asOf.push({ environment: env, commit: last.commit, time: isoSeconds(last.time) });
  }
  return { revision: head, asOf, reportsDir, reports, fleet, suspended: suspendedAt(config, environment) };
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function suspendedAt(config: ConfigSet, environment: string | undefined): SuspendedEnvironment[] {
  const out: SuspendedEnvironment[] = [];
  for (const doc of config.environments) {
    const env = doc.value;
    if (environment !== undefined && env.metadata?.name !== environment) continue;
    const sync = typeof env.spec?.sync === 'object' && env.spec.sync !== null ? env.spec.sync : undefined;
    if (sync?.suspend !== true) continue;
    const { suspendReason } = resolveSync(sync);
    out.push({ environment: env.metadata.name, ...(suspendReason ? { reason: suspendReason } : {}) });
  }
  return out.sort((a, b) => (a.environment < b.environment ? -1 : 1));
}
