/**
 * Record a finished run (or one that threw) into the metrics. A run may cover several
 * environments; each gets one count and one duration sample. `server_info` series of servers,
 * targets and environments that are gone are removed, not left stale: only within what the run
 * covered (an `--env` run says nothing about the other environments).
 */
import type { RunResult } from '../engine/types.js';
import type { GitopsMetrics, ReconcileResult, ServerInfoLabels } from './create-metrics.js';
import { forgetServer, recordServers } from './record-servers.js';
import { forgetTools, recordTools } from './record-tools.js';
import { targetStatus } from './target-status.js';

export interface RecordScope {
  /** Record only this environment of the result (the run was `--env`, or is reported per environment). */
  environment?: string;
  /** The run was limited to this target (`--target`): other targets' series are kept. */
  target?: string;
}

export interface RecordTiming {
  durationSeconds: number;
  /** When the run finished, ms since the epoch. */
  finishedAt: number;
}

export function recordRun(
  metrics: GitopsMetrics,
  result: RunResult,
  timing: RecordTiming,
  scope: RecordScope = {},
): void {
  const environments = result.plan.environments.filter(
    (e) => scope.environment === undefined || e === scope.environment,
  );
  for (const environment of environments) {
    const outcome = environmentResult(result, environment);
    metrics.reconcileTotal.inc({ environment, result: outcome });
    metrics.reconcileDuration.observe({ environment }, timing.durationSeconds);
    metrics.environmentSuspended.set({ environment }, isSuspended(result, environment) ? 1 : 0);
    metrics.environments.add(environment);
    if (outcome === 'success' || outcome === 'no-op') {
      metrics.lastSuccess.set({ environment }, Math.floor(timing.finishedAt / 1000));
      metrics.environments.add(environment);
    }
  }
  const seen = new Set<string>();
  for (const tp of result.plan.targets.filter((t) => environments.includes(t.environment))) {
    const key = targetKey(tp.environment, tp.target);
    seen.add(key);
    const before = metrics.targets.get(key);
    const run = result.targets.find((t) => t.environment === tp.environment && t.target === tp.target);
    const report = result.reports?.find((r) => r.environment === tp.environment && r.target === tp.target);
    const status = targetStatus({
      plan: tp,
      run,
      ...(report ? { report } : {}),
      desired:
        result.desired.environments
          .find((e) => e.name === tp.environment)
          ?.targets.find((t) => t.name === tp.target)
          ?.servers.map((s) => s.name) ?? [],
      previous: before?.inventory ?? [],
      previousServers: before?.series.map((s) => s.server) ?? [],
    });
    replaceSeries(metrics, before?.series ?? [], status.series);
    if (status.drift !== undefined) {
      metrics.driftServers.set({ environment: tp.environment, target: tp.target }, status.drift);
    }
    const servers = recordServers(
      metrics,
      { environment: tp.environment, target: tp.target },
      status.inventory,
      run?.verified ?? new Map(),
      before?.servers ?? [],
      Math.floor(timing.finishedAt / 1000),
    );
    const toolServers = recordTools(
      metrics,
      { environment: tp.environment, target: tp.target },
      status.inventory,
      report ? report.lastApply : (run?.results ?? []),
      before?.toolServers ?? [],
    );
    metrics.targets.set(key, {
      environment: tp.environment,
      target: tp.target,
      series: status.series,
      inventory: status.inventory,
      servers,
      toolServers,
    });
    metrics.environments.add(tp.environment);
  }
  // Targets of the recorded environments that the repo no longer has.
  if (scope.target === undefined) {
    for (const [key, tracked] of metrics.targets) {
      if (!seen.has(key) && environments.includes(tracked.environment)) forgetTarget(metrics, key);
    }
  }
  if (scope.environment === undefined) forgetEnvironments(metrics, result.plan.environments);
}

/** A run that threw before it had a result (invalid config, git failure, lock timeout). */
export function recordRunError(metrics: GitopsMetrics, environment: string, timing: RecordTiming): void {
  metrics.reconcileTotal.inc({ environment, result: 'error' });
  metrics.reconcileDuration.observe({ environment }, timing.durationSeconds);
}

/** Drop the gauges of every environment not in `keep` (it is gone from the repo). Counters stay. */
export function forgetEnvironments(metrics: GitopsMetrics, keep: readonly string[]): void {
  for (const [key, tracked] of metrics.targets) {
    if (!keep.includes(tracked.environment)) forgetTarget(metrics, key);
  }
  for (const environment of metrics.environments) {
    if (keep.includes(environment)) continue;
    metrics.lastSuccess.remove({ environment });
    metrics.environmentSuspended.remove({ environment });
    metrics.environments.delete(environment);
  }
}

/** Suspended as the run's plan has it (`sync.suspend`; a rollback's plan carries the branch head's). */
function isSuspended(result: RunResult, environment: string): boolean {
  return result.plan.targets.some((t) => t.environment === environment && t.suspended !== undefined);
}

export function environmentResult(result: RunResult, environment: string): ReconcileResult {
  const targets = result.targets.filter((t) => t.environment === environment);
  const results = targets.flatMap((t) => t.results);
  if (result.environments.some((e) => e.environment === environment && e.gate)) return 'failed';
  if (results.some((r) => r.outcome === 'failed' || r.outcome === 'rolled-back')) return 'failed';
  if (result.plan.targets.some((t) => t.environment === environment && t.stalled)) return 'stalled';
  if (results.some((r) => r.outcome === 'applied' && r.action !== 'noop')) return 'success';
  return 'no-op';
}

function forgetTarget(metrics: GitopsMetrics, key: string): void {
  const tracked = metrics.targets.get(key);
  if (!tracked) return;
  replaceSeries(metrics, tracked.series, []);
  for (const server of tracked.servers)
    forgetServer(metrics, { environment: tracked.environment, target: tracked.target, server });
  for (const server of tracked.toolServers ?? [])
    forgetTools(metrics, { environment: tracked.environment, target: tracked.target, server });
  metrics.driftServers.remove({ environment: tracked.environment, target: tracked.target });
  metrics.targets.delete(key);
}

function replaceSeries(metrics: GitopsMetrics, before: ServerInfoLabels[], after: ServerInfoLabels[]) {
  const keep = new Set(after.map(seriesKey));
  for (const old of before) if (!keep.has(seriesKey(old))) metrics.serverInfo.remove({ ...old });
  for (const labels of after) metrics.serverInfo.set({ ...labels }, 1);
}

const targetKey = (environment: string, target: string) => `${environment}\u0000${target}`;
const seriesKey = (s: ServerInfoLabels) =>
  [s.environment, s.target, s.server, s.sync, s.health].join('\u0000');
