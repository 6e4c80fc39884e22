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
  /** 1 while the environment is suspended (`sync.suspend`), 0 otherwise. */
  environmentSuspended: Gauge<'environment'>;
  serverHealth: Gauge<'environment' | 'target' | 'server' | 'state'>;
  serverRestarts: Gauge<'environment' | 'target' | 'server'>;
  serverTools: Gauge<'environment' | 'target' | 'server'>;
  /** 1 while the server's tool surface differs from its lock (warn: reported; pin: quarantined). */
  serverToolsChanged: Gauge<'environment' | 'target' | 'server'>;
  /** 1 while the server is quarantined (taken off the target by `health.tools: pin`). */
  serverQuarantined: Gauge<'environment' | 'target' | 'server'>;
  lastVerified: Gauge<'environment' | 'target' | 'server'>;
  verifyDuration: Histogram<'environment' | 'outcome'>;
  steadyLoopDuration: Histogram<never>;
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
  /** Servers with per-server gauges (health, restarts, tools, last verified) on this target. */
  servers: string[];
  /** Servers with tool-surface gauges (tools changed, quarantined): on the target or quarantined. */
  toolServers?: string[];
}

/** Reconciles take from well under a second (nothing to do) to minutes (many servers to start). */
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/** An MCP handshake plus tools/list: milliseconds for a running HTTP server, seconds for a cold stdio one. */
const VERIFY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/** Health states a server can be in (the `state` label of `mcp_gitops_server_health`). */
export const HEALTH_STATES = ['healthy', 'unhealthy', 'starting', 'unknown'] as const;

/** Every metric name the registry defines (the dashboard test checks its queries against these). */
export const METRIC_NAMES = [
  'mcp_gitops_reconcile_total',
  'mcp_gitops_reconcile_duration_seconds',
  'mcp_gitops_server_info',
  'mcp_gitops_drift_servers',
  'mcp_gitops_webhook_deliveries_total',
  'mcp_gitops_last_success_timestamp_seconds',
  'mcp_gitops_environment_suspended',
  'mcp_gitops_server_health',
  'mcp_gitops_server_restarts',
  'mcp_gitops_server_tools',
  'mcp_gitops_server_tools_changed',
  'mcp_gitops_server_quarantined',
  'mcp_gitops_server_last_verified_timestamp_seconds',
  'mcp_gitops_verification_duration_seconds',
  'mcp_gitops_steady_loop_duration_seconds',
] as const;

/** The histograms among them (their series are `_bucket`, `_sum`, `_count`). */
export const HISTOGRAM_NAMES = [
  'mcp_gitops_reconcile_duration_seconds',
  'mcp_gitops_verification_duration_seconds',
  'mcp_gitops_steady_loop_duration_seconds',
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
    environmentSuspended: new Gauge({
      name: 'mcp_gitops_environment_suspended',
      help: 'Whether the environment is suspended (sync.suspend: nothing is applied to it, drift is still reported) as of its last recorded run: 1 or 0.',
      labelNames: ['environment'],
      registers,
    }),
    serverHealth: new Gauge({
      name: 'mcp_gitops_server_health',
      help: 'Health of each managed server as its target report says (1 for its current state, 0 for the others): healthy, unhealthy, starting, unknown.',
      labelNames: ['environment', 'target', 'server', 'state'],
      registers,
    }),
    serverRestarts: new Gauge({
      name: 'mcp_gitops_server_restarts',
      help: 'Restarts of the server its supervisor made after it died (process launcher, container engine), as last observed.',
      labelNames: ['environment', 'target', 'server'],
      registers,
    }),
    serverTools: new Gauge({
      name: 'mcp_gitops_server_tools',
      help: 'Tools the server listed at its last verification.',
      labelNames: ['environment', 'target', 'server'],
      registers,
    }),
    serverToolsChanged: new Gauge({
      name: 'mcp_gitops_server_tools_changed',
      help: 'Whether the tool surface the server listed at its last verification differs from its lock in the config repo (health.tools warn: reported; pin: quarantined): 1 or 0.',
      labelNames: ['environment', 'target', 'server'],
      registers,
    }),
    serverQuarantined: new Gauge({
      name: 'mcp_gitops_server_quarantined',
      help: 'Whether the server is quarantined: taken off the target because its tool surface failed health.tools pin with nothing older to roll back to: 1 or 0.',
      labelNames: ['environment', 'target', 'server'],
      registers,
    }),
    lastVerified: new Gauge({
      name: 'mcp_gitops_server_last_verified_timestamp_seconds',
      help: 'Unix time of the last MCP verification of the server by this process, whatever its outcome.',
      labelNames: ['environment', 'target', 'server'],
      registers,
    }),
    verifyDuration: new Histogram({
      name: 'mcp_gitops_verification_duration_seconds',
      help: 'Time to verify a server over MCP (handshake and tools/list, retries included), by outcome.',
      labelNames: ['environment', 'outcome'],
      buckets: VERIFY_BUCKETS,
      registers,
    }),
    steadyLoopDuration: new Histogram({
      name: 'mcp_gitops_steady_loop_duration_seconds',
      help: 'Wall time of a steady-loop pass: every target observed, every server verified, drift acted on.',
      buckets: DURATION_BUCKETS,
      registers,
    }),
    targets: new Map(),
    environments: new Set(),
  };
}
