/**
 * Tool-surface gauges of one target after a run: `mcp_gitops_server_tools_changed` (the surface
 * differs from the lock: a `ToolsChanged` inventory entry under warn, or a quarantined server) and
 * `mcp_gitops_server_quarantined`. Quarantined servers are not in the inventory (they are off the
 * target), so they come from the report's last apply results, which stay until an eventful run
 * replaces them, or from the run's results when it wrote no report. Series of servers that are
 * neither on the target nor quarantined any more are removed.
 */
import type { ChangeResult, InventoryEntry } from '../core/report.js';
import type { GitopsMetrics } from './create-metrics.js';

export function recordTools(
  metrics: GitopsMetrics,
  at: { environment: string; target: string },
  inventory: readonly InventoryEntry[],
  results: readonly ChangeResult[],
  before: readonly string[],
): string[] {
  const quarantined = new Set(results.filter((r) => r.quarantined).map((r) => r.server));
  const onTarget = inventory.filter((e) => !quarantined.has(e.server));
  const servers = [...new Set([...onTarget.map((e) => e.server), ...quarantined])].sort();
  for (const gone of before.filter((s) => !servers.includes(s)))
    forgetTools(metrics, { ...at, server: gone });
  for (const entry of onTarget) {
    const labels = { ...at, server: entry.server };
    metrics.serverToolsChanged.set(labels, entry.toolsChanged?.length ? 1 : 0);
    metrics.serverQuarantined.set(labels, 0);
  }
  for (const server of quarantined) {
    metrics.serverToolsChanged.set({ ...at, server }, 1);
    metrics.serverQuarantined.set({ ...at, server }, 1);
  }
  return servers;
}

export function forgetTools(
  metrics: GitopsMetrics,
  labels: { environment: string; target: string; server: string },
): void {
  metrics.serverToolsChanged.remove(labels);
  metrics.serverQuarantined.remove(labels);
}
