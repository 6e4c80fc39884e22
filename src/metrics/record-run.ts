/**
 * Record a finished run (or one that threw) into the metrics. A run may cover several
 * environments; each gets one count and one duration sample. `server_info` series of servers,
 * targets and environments that are gone are removed, not left stale: only within what the run
 * covered (an `--env` run says nothing about the other environments).
 */
import type { Plan } from '../core/plan.js';
import type { RunResult } from '../engine/types.js';
import type { GitopsMetrics, ReconcileResult, ServerInfoLabels, TrackedTarget } from './create-metrics.js';
import { targetStatus } from './target-status.js';

export interface RecordScope {
  /** The run was limited to this environment (`--env`). */
  environment?: string;
  /** The run was limited to this target (`--target`). */
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
  const { plan } = result;
  for (const environment of plan.environments) {
    const outcome = environmentResult(result, environment);
    metrics.reconcileTotal.inc({ environment, result: outcome });
    metrics.reconcileDuration.observe({ environment }, timing.durationSeconds);
    if (outcome === 'success' || outcome === 'no-op') {
      metrics.lastSuccess.set({ environment }, Math.floor(timing.finishedAt / 1000));
    }
  }
  const seen = new Set<string>();
  for (const tp of plan.targets) {
    const key = targetKey(tp.environment, tp.target);
    seen.add(key);
    const before = metrics.targets.get(key);
    const status = targetStatus({
      plan: tp,
      run: result.targets.find((t) => t.environment === tp.environment && t.target === tp.target),
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
    const tracked: TrackedTarget = {
      environment: tp.environment,
      target: tp.target,
      series: status.series,
      inventory: status.inventory,
    };
    metrics.targets.set(key, tracked);
  }
  removeUncovered(metrics, plan, seen, scope);
}

/** A run that threw before it had a result (invalid config, git failure, lock timeout). */
export function recordRunError(metrics: GitopsMetrics, environment: string, timing: RecordTiming): void {
  metrics.reconcileTotal.inc({ environment, result: 'error' });
  metrics.reconcileDuration.observe({ environment }, timing.durationSeconds);
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

function replaceSeries(metrics: GitopsMetrics, before: ServerInfoLabels[], after: ServerInfoLabels[]) {
  const keep = new Set(after.map(seriesKey));
  for (const old of before) if (!keep.has(seriesKey(old))) metrics.serverInfo.remove({ ...old });
  for (const labels of after) metrics.serverInfo.set({ ...labels }, 1);
}

/** Targets the run covered but the repo no longer has, and environments gone from an all-environments run. */
function removeUncovered(metrics: GitopsMetrics, plan: Plan, seen: Set<string>, scope: RecordScope) {
  const environments = new Set(plan.environments);
  for (const [key, tracked] of metrics.targets) {
    if (seen.has(key)) continue;
    const inRun = environments.has(tracked.environment);
    const covered = inRun ? scope.target === undefined : scope.environment === undefined;
    if (!covered) continue;
    replaceSeries(metrics, tracked.series, []);
    metrics.driftServers.remove({ environment: tracked.environment, target: tracked.target });
    metrics.targets.delete(key);
    if (!inRun) metrics.lastSuccess.remove({ environment: tracked.environment });
  }
}

const targetKey = (environment: string, target: string) => `${environment}\u0000${target}`;
const seriesKey = (s: ServerInfoLabels) =>
  [s.environment, s.target, s.server, s.sync, s.health].join('\u0000');
