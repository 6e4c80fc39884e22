/**
 * What one target looks like after a run, as metrics see it: one `server_info` series per server
 * that is (or should be) on it, and how much drift was left uncorrected. Inventory and health are
 * the target's report's when the run wrote one (so `/metrics` and `status` agree), else built by
 * the same rules (`buildInventory`).
 */
import type { Change, TargetPlan } from '../core/plan.js';
import type { ChangeResult, InventoryEntry, TargetReport } from '../core/report.js';
import type { TargetRun } from '../engine/types.js';
import { buildInventory } from '../report/build-inventory.js';
import type { ServerInfoLabels, ServerSync } from './create-metrics.js';

export interface TargetStatus {
  series: ServerInfoLabels[];
  inventory: InventoryEntry[];
  /** Undefined when the target could not be observed (stalled): the last count stands. */
  drift?: number;
}

export function targetStatus(input: {
  plan: TargetPlan;
  run: TargetRun | undefined;
  /** Server names the repo wants on this target (used when it stalled). */
  desired: readonly string[];
  previous: readonly InventoryEntry[];
  previousServers: readonly string[];
  /** The target's report as the run wrote it: its inventory is the truth (what `status` reads). */
  report?: TargetReport;
}): TargetStatus {
  const { plan } = input;
  const at = { environment: plan.environment, target: plan.target };
  if (plan.stalled || (input.run && !input.run.observed.reachable)) {
    const names = [...new Set([...input.previousServers, ...input.desired])].sort();
    return {
      series: names.map((server) => ({ ...at, server, sync: 'unknown', health: 'unknown' })),
      inventory: input.report ? [...input.report.inventory] : [...input.previous],
    };
  }
  const results = new Map((input.run?.results ?? []).map((r) => [r.server, r]));
  const inventory = input.report
    ? [...input.report.inventory]
    : buildInventory({
        changes: plan.changes,
        results,
        verification: input.run?.verified ?? new Map(),
        previous: input.previous,
      });
  const health = new Map(inventory.map((e) => [e.server, e.health]));
  const series: ServerInfoLabels[] = [];
  for (const change of plan.changes) {
    const result = results.get(change.server);
    if (change.action === 'delete' && result?.outcome === 'applied') continue;
    series.push({
      ...at,
      server: change.server,
      sync: syncOf(change, result),
      health: health.get(change.server) ?? 'unknown',
    });
  }
  series.sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
  const drift = plan.changes.filter(
    (c) => c.reason === 'drift' && results.get(c.server)?.outcome !== 'applied',
  ).length;
  return { series, inventory, drift };
}

function syncOf(change: Change, result: ChangeResult | undefined): ServerSync {
  const outcome = result?.outcome;
  if (outcome === 'failed' || outcome === 'rolled-back') return 'failed';
  if (change.reason === 'orphan-kept') return 'orphan';
  if (outcome === 'applied' || change.reason === 'in-sync') return 'synced';
  if (change.reason === 'drift') return 'drifted';
  return 'out-of-sync';
}
