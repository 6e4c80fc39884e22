/**
 * The fleet's metrics (issue 15): counts, never a series per machine, so /metrics stays the same
 * size for 3 laptops or 3,000. Registered on the registry of `createMetrics` by `serve --fleet`;
 * the gauges are set from the aggregates (one computation, so /metrics, `status` and the committed
 * files agree), the counter by the hub's routes.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { FleetAggregate } from '../fleet/aggregate/aggregate.js';

/** The `state` label of `mcp_gitops_fleet_machines`: every machine of a target is in exactly one. */
export const FLEET_MACHINE_STATES = ['in_sync', 'drifted', 'failing', 'stale', 'pending'] as const;

/**
 * How the hub answered an agent's bundle pull or report (the `outcome` label):
 * `accepted` (a bundle sent or a report recorded), `not-modified` (304), `rate-limited` (429),
 * `unauthorized` (a forged, replayed, expired or revoked credential) or `refused` (anything else
 * the hub refused: malformed, oversized, another machine's report).
 */
export type FleetCheckinOutcome = 'accepted' | 'not-modified' | 'rate-limited' | 'unauthorized' | 'refused';

const OUTCOMES: readonly FleetCheckinOutcome[] = [
  'accepted',
  'not-modified',
  'rate-limited',
  'unauthorized',
  'refused',
];

export const FLEET_METRIC_NAMES = [
  'mcp_gitops_fleet_machines',
  'mcp_gitops_fleet_checkins_total',
  'mcp_gitops_fleet_rollout_wave',
  'mcp_gitops_fleet_rollout_halted',
] as const;

export interface FleetMetrics {
  machines: Gauge<'environment' | 'target' | 'state'>;
  checkins: Counter<'outcome'>;
  rolloutWave: Gauge<'environment' | 'target'>;
  rolloutHalted: Gauge<'environment' | 'target'>;
}

export function createFleetMetrics(registry: Registry): FleetMetrics {
  const registers = [registry];
  const checkins = new Counter({
    name: 'mcp_gitops_fleet_checkins_total',
    help: 'Agent requests to the fleet hub (bundle pulls and reports), by how they were answered.',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of OUTCOMES) checkins.inc({ outcome }, 0);
  return {
    machines: new Gauge({
      name: 'mcp_gitops_fleet_machines',
      help: 'Enrolled machines a fleet target stands for, by state: in_sync, drifted, failing, stale (not seen for the stale period), pending (not yet reported the digest they were given).',
      labelNames: ['environment', 'target', 'state'],
      registers,
    }),
    checkins,
    rolloutWave: new Gauge({
      name: 'mcp_gitops_fleet_rollout_wave',
      help: "Index of the rollout wave open on the fleet target (the last wave's index once complete).",
      labelNames: ['environment', 'target'],
      registers,
    }),
    rolloutHalted: new Gauge({
      name: 'mcp_gitops_fleet_rollout_halted',
      help: "Whether the fleet target's rollout is halted (a machine of the open wave failed verification): 1 or 0.",
      labelNames: ['environment', 'target'],
      registers,
    }),
  };
}

/** Set the gauges to the aggregates; targets no longer among them lose their series. */
export function recordFleet(metrics: FleetMetrics, aggregates: readonly FleetAggregate[]): void {
  metrics.machines.reset();
  metrics.rolloutWave.reset();
  metrics.rolloutHalted.reset();
  for (const a of aggregates) {
    const at = { environment: a.environment, target: a.target };
    const counts: Record<(typeof FLEET_MACHINE_STATES)[number], number> = {
      in_sync: a.inSync,
      drifted: a.drifted,
      failing: a.failing,
      stale: a.stale,
      pending: a.pending,
    };
    for (const state of FLEET_MACHINE_STATES) metrics.machines.set({ ...at, state }, counts[state]);
    metrics.rolloutWave.set(at, a.rollout.wave);
    metrics.rolloutHalted.set(at, a.rollout.state === 'halted' ? 1 : 0);
  }
}

export function countCheckin(metrics: FleetMetrics, outcome: FleetCheckinOutcome): void {
  metrics.checkins.inc({ outcome });
}
