/**
 * The overview's view model: per environment its sync and health, the revision its targets
 * applied, its newest tag, whether it is suspended and its servers counted by health; plus what
 * serve itself knows (the facts line, the last reconciles). Built from one ReportSet, linear in
 * the number of servers.
 */
import type { Health } from '../../core/state.js';
import { type ToolSurfaceRow, toolSurfaceRows } from '../../serve/tool-surface-section.js';
import type { ReportSet } from '../read-reports.js';
import type { LiveState, RecentRun, ServeFacts } from './live.js';
import {
  type HealthRollup,
  healthCounts,
  healthRollup,
  type SyncState,
  short,
  syncState,
} from './target-state.js';

export interface EnvironmentSummary {
  environment: string;
  targets: number;
  servers: number;
  sync: SyncState;
  health: HealthRollup;
  counts: Record<Health, number>;
  /** Distinct applied revisions (short), newest report order. */
  revisions: string[];
  /** Newest tag named `<env>/…`, when the history knows tags. */
  tag?: string;
  suspended?: { reason?: string };
  /** Servers with drift left uncorrected. */
  drifted: number;
}

export interface OverviewModel {
  facts?: ServeFacts;
  environments: EnvironmentSummary[];
  totals: Record<Health, number>;
  fleet: ReportSet['fleet'];
  /** Servers whose surface differs from the lock, and quarantined ones. */
  surfaces: ToolSurfaceRow[];
  unreadable: string[];
  /** Absent where the process runs no reconciles. */
  recent?: RecentRun[];
}

export function overviewModel(set: ReportSet, tags: readonly string[], live?: LiveState): OverviewModel {
  const byEnv = new Map<string, ReportSet['reports']>();
  for (const env of set.environments) byEnv.set(env, []);
  for (const r of set.reports) {
    const list = byEnv.get(r.environment) ?? [];
    list.push(r);
    byEnv.set(r.environment, list);
  }
  const totals: Record<Health, number> = { healthy: 0, starting: 0, unhealthy: 0, unknown: 0 };
  const environments: EnvironmentSummary[] = [];
  for (const [environment, reports] of [...byEnv.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const fleetOnly = reports.length === 0 && set.fleet.aggregates.some((a) => a.environment === environment);
    if (reports.length === 0 && !fleetOnly) continue;
    const counts = healthCounts(reports);
    for (const h of Object.keys(totals) as Health[]) totals[h] += counts[h];
    const suspended = reports.find((r) => r.suspended)?.suspended;
    const tag = newestTag(tags, environment);
    environments.push({
      environment,
      targets: reports.length,
      servers: reports.reduce((n, r) => n + r.inventory.length, 0),
      sync: syncState(reports),
      health: healthRollup(counts),
      counts,
      revisions: [...new Set(reports.map((r) => short(r.revision.applied)).filter(Boolean))],
      ...(tag ? { tag } : {}),
      ...(suspended ? { suspended } : {}),
      drifted: reports.reduce((n, r) => n + r.drift.length, 0),
    });
  }
  return {
    ...(live ? { facts: live.facts() } : {}),
    environments,
    totals,
    fleet: set.fleet,
    surfaces: set.reports.flatMap((r) => toolSurfaceRows(r.environment, r.target, r)),
    unreadable: set.unreadable,
    ...(live?.recent ? { recent: live.recent } : {}),
  };
}

/** The last of `<env>/…` tags in version order (`dev/v1.10.0` after `dev/v1.9.0`). */
export function newestTag(tags: readonly string[], environment: string): string | undefined {
  const mine = tags.filter((t) => t.startsWith(`${environment}/`));
  mine.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return mine.at(-1);
}
