/**
 * Per-server gauges of one target after a run, from the target's report inventory — the record
 * `status` and the status page read too, so all of them say the same health — plus one sample of
 * verification time per server the run spoke to. Gauges of servers no longer on the target go.
 */
import type { InventoryEntry } from '../core/report.js';
import type { ServerCheck } from '../engine/types.js';
import { type GitopsMetrics, HEALTH_STATES } from './create-metrics.js';

export function recordServers(
  metrics: GitopsMetrics,
  at: { environment: string; target: string },
  inventory: readonly InventoryEntry[],
  verified: ReadonlyMap<string, ServerCheck>,
  before: readonly string[],
  nowSeconds: number,
): string[] {
  const servers = inventory.map((e) => e.server);
  for (const gone of before.filter((s) => !servers.includes(s)))
    forgetServer(metrics, { ...at, server: gone });
  for (const entry of inventory) {
    const labels = { ...at, server: entry.server };
    for (const state of HEALTH_STATES)
      metrics.serverHealth.set({ ...labels, state }, entry.health === state ? 1 : 0);
    if (entry.restarts !== undefined) metrics.serverRestarts.set(labels, entry.restarts);
    else metrics.serverRestarts.remove(labels);
    if (entry.toolCount !== undefined) metrics.serverTools.set(labels, entry.toolCount);
    else metrics.serverTools.remove(labels);
  }
  for (const [server, check] of verified) {
    metrics.lastVerified.set({ ...at, server }, nowSeconds);
    metrics.verifyDuration.observe(
      { environment: at.environment, outcome: check.health },
      check.durationMs / 1000,
    );
  }
  return servers;
}

export function forgetServer(
  metrics: GitopsMetrics,
  labels: { environment: string; target: string; server: string },
): void {
  for (const state of HEALTH_STATES) metrics.serverHealth.remove({ ...labels, state });
  metrics.serverRestarts.remove(labels);
  metrics.serverTools.remove(labels);
  metrics.lastVerified.remove(labels);
}
