/**
 * The Prometheus metrics of mcp-gitops on a registry of their own (DESIGN.md §7). No default
 * Node.js process metrics: three of them end in `_total` without being counters, which
 * `promtool check metrics` refuses, and a registry we own keeps the output clean.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { InventoryEntry } from '../core/report.js';

/** How one environment's reconcile ended (the `result` label). */
export type ReconcileResult = 'success' | 'no-op' | 'failed' | 'stalled' | 'error';

/** A server's sync status on its target (the `sync` label of `mcp_gitops_server_info`). */
export type ServerSync = 'synced' | 'out-of-sync' | 'drifted' | 'failed' | 'orphan' | 'unknown';

export interface ServerInfoLabels {
  environment: string;
  target: string;
  server: string;
  sync: ServerSync;
  health: string;
}

export interface GitopsMetrics {
  registry: Registry;
  reconcileTotal: Counter<'environment' | 'result'>;
  reconcileDuration: Histogram<'environment'>;
  serverInfo: Gauge<keyof ServerInfoLabels>;
  driftServers: Gauge<'environment' | 'target'>;
  webhookDeliveries: Counter<'event' | 'outcome'>;
  lastSuccess: Gauge<'environment'>;
  /** What the last recorded run of each target left behind: `env\0target` → series and inventory. */
  targets: Map<string, TrackedTarget>;
  /** Environments that have per-environment gauges (last success), so they can be forgotten. */
  environments: Set<string>;
}

export interface TrackedTarget {
  environment: string;
  target: string;
  series: ServerInfoLabels[];
  /** Carried from run to run so an unchanged, unverified server keeps its last known health. */
  inventory: InventoryEntry[];
}

/** Reconciles take from well under a second (nothing to do) to minutes (many servers to start). */
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** Every metric name the registry defines (the dashboard test checks its queries against these). */
export const METRIC_NAMES = [
  'mcp_gitops_reconcile_total',
  'mcp_gitops_reconcile_duration_seconds',
  'mcp_gitops_server_info',
  'mcp_gitops_drift_servers',
  'mcp_gitops_webhook_deliveries_total',
  'mcp_gitops_last_success_timestamp_seconds',
] as const;

export function createMetrics(): GitopsMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    reconcileTotal: new Counter({
      name: 'mcp_gitops_reconcile_total',
      help: 'Reconcile runs per environment, by result (success, no-op, failed, stalled, error).',
      labelNames: ['environment', 'result'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'mcp_gitops_reconcile_duration_seconds',
      help: 'Wall time of reconcile runs that covered the environment.',
      labelNames: ['environment'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    serverInfo: new Gauge({
      name: 'mcp_gitops_server_info',
      help: 'Managed servers as of the last run of their target (always 1): sync status and health.',
      labelNames: ['environment', 'target', 'server', 'sync', 'health'],
      registers,
    }),
    driftServers: new Gauge({
      name: 'mcp_gitops_drift_servers',
      help: 'Servers whose drift the last run of the target saw and left uncorrected.',
      labelNames: ['environment', 'target'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'mcp_gitops_webhook_deliveries_total',
      help: 'Webhook deliveries received, by event and how they were answered.',
      labelNames: ['event', 'outcome'],
      registers,
    }),
    lastSuccess: new Gauge({
      name: 'mcp_gitops_last_success_timestamp_seconds',
      help: 'Unix time of the last reconcile of the environment that ended in success or no-op.',
      labelNames: ['environment'],
      registers,
    }),
    targets: new Map(),
    environments: new Set(),
  };
}
