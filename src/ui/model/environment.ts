/**
 * An environment's view model: its targets in name order, each with its state and why, applied
 * revision and servers (version, transport, health and why, restarts, tools, whether it drifted
 * or its tools differ from the lock). Pure; linear in the servers.
 */
import type { TargetReport } from '../../core/report.js';
import type { Health } from '../../core/state.js';
import type { RunCommit } from '../read-history.js';
import type { ReportSet } from '../read-reports.js';
import type { RecentRun } from './live.js';
import { healthCounts, short, type TargetState, targetState, targetWhy } from './target-state.js';

export interface ServerRow {
  server: string;
  version: string;
  transport: string;
  health: Health;
  healthReason: string;
  restarts?: number;
  toolCount?: number;
  toolsChanged: string[];
  drifted: boolean;
}

export interface TargetSection {
  target: string;
  provider: string;
  host: string;
  state: TargetState;
  why: string;
  applied: string;
  attempted: string;
  servers: ServerRow[];
  quarantined: { server: string; message: string }[];
}

/**
 * When the environment's servers were last looked at: under `serve`, the newest reconcile of it by
 * this process that ran to the end (each one observes every target and verifies every server);
 * from a checkout (`ui`, the export), the newest report commit for it — reports carry no times of
 * their own, so that is when a reading last changed, not when one was last taken.
 */
export interface LastChecked {
  time: string;
  by: 'reconcile' | 'report-commit';
  revision?: string;
}

export interface EnvironmentModel {
  environment: string;
  checked?: LastChecked;
  targets: TargetSection[];
  counts: Record<Health, number>;
  suspended?: { reason?: string };
  /** The environment's fleet targets (aggregates the hub committed). */
  fleet: ReportSet['fleet'];
}

/** Undefined when no report names the environment. */
export function environmentModel(set: ReportSet, environment: string): EnvironmentModel | undefined {
  const reports = set.reports.filter((r) => r.environment === environment);
  if (reports.length === 0 && !set.environments.includes(environment)) return undefined;
  const fleet = {
    aggregates: set.fleet.aggregates.filter((a) => a.environment === environment),
    unreadable: set.fleet.unreadable.filter((f) => f.startsWith(`${environment}/`)),
  };
  const suspended = reports.find((r) => r.suspended)?.suspended;
  return {
    environment,
    targets: reports.map(targetSection),
    counts: healthCounts(reports),
    fleet,
    ...(suspended ? { suspended } : {}),
  };
}

export function targetSection(r: TargetReport): TargetSection {
  const drifted = new Set(r.drift.map((d) => d.server));
  return {
    target: r.target,
    provider: r.provider,
    host: r.host,
    state: targetState(r),
    why: targetWhy(r),
    applied: short(r.revision.applied),
    attempted: short(r.revision.attempted),
    servers: r.inventory.map((e) => ({
      server: e.server,
      version: e.version ?? '',
      transport: e.transport,
      health: e.health,
      healthReason: e.healthReason ?? '',
      ...(e.restarts === undefined ? {} : { restarts: e.restarts }),
      ...(e.toolCount === undefined ? {} : { toolCount: e.toolCount }),
      toolsChanged: e.toolsChanged ?? [],
      drifted: drifted.has(e.server),
    })),
    quarantined: r.lastApply
      .filter((a) => a.quarantined)
      .map((a) => ({ server: a.server, message: a.message ?? '' })),
  };
}

/** See `LastChecked`; undefined when neither source knows the environment. */
export function lastChecked(
  environment: string,
  recent: readonly RecentRun[] | undefined,
  runs: readonly RunCommit[],
): LastChecked | undefined {
  const run = recent?.find((r) => r.environment === environment && r.result !== 'error');
  if (run) return { time: run.finishedAt, by: 'reconcile', revision: run.revision };
  const commit = runs.find((r) => r.environment === environment || r.environment === '*');
  return commit ? { time: commit.time, by: 'report-commit', revision: commit.oid.slice(0, 12) } : undefined;
}
