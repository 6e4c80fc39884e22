/**
 * The few judgements every view makes the same way: a target's state from its conditions, an
 * environment's sync and health from its targets, servers counted by health. Pure.
 */
import type { TargetReport } from '../../core/report.js';
import type { Health } from '../../core/state.js';

export type TargetState = 'Ready' | 'Not ready' | 'Stalled' | 'Suspended' | 'Retired';
export type SyncState = 'in sync' | 'out of sync' | 'stalled' | 'suspended' | 'no reports';
export type HealthRollup = Health | 'none';

export const HEALTHS: readonly Health[] = ['healthy', 'starting', 'unhealthy', 'unknown'];

export function targetState(report: TargetReport): TargetState {
  const ready = report.conditions.find((c) => c.type === 'Ready');
  const stalled = report.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  if (stalled) return 'Stalled';
  if (report.retired) return 'Retired';
  if (report.suspended) return 'Suspended';
  return ready?.status === 'True' ? 'Ready' : 'Not ready';
}

/** Why a target is in its state: the Stalled or Ready condition's reason and message. */
export function targetWhy(report: TargetReport): string {
  const stalled = report.conditions.find((c) => c.type === 'Stalled' && c.status === 'True');
  const ready = report.conditions.find((c) => c.type === 'Ready');
  const c = stalled ?? ready;
  return c ? [c.reason, c.message].filter(Boolean).join(': ') : '';
}

export function syncState(reports: readonly TargetReport[]): SyncState {
  if (reports.length === 0) return 'no reports';
  const states = reports.map(targetState);
  if (states.includes('Stalled')) return 'stalled';
  if (states.includes('Suspended')) return 'suspended';
  return states.every((s) => s === 'Ready' || s === 'Retired') ? 'in sync' : 'out of sync';
}

export function healthCounts(reports: readonly TargetReport[]): Record<Health, number> {
  const counts: Record<Health, number> = { healthy: 0, starting: 0, unhealthy: 0, unknown: 0 };
  for (const r of reports)
    for (const e of r.inventory) counts[HEALTHS.includes(e.health) ? e.health : 'unknown'] += 1;
  return counts;
}

/** The worst health among the servers: unhealthy, then starting, then unknown; `none` without servers. */
export function healthRollup(counts: Record<Health, number>): HealthRollup {
  if (counts.unhealthy > 0) return 'unhealthy';
  if (counts.starting > 0) return 'starting';
  if (counts.unknown > 0) return 'unknown';
  return counts.healthy > 0 ? 'healthy' : 'none';
}

export function short(revision: string | undefined, length = 12): string {
  return revision ? revision.slice(0, length) : '';
}
