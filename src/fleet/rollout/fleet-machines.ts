/**
 * Which enrolled machines a fleet target stands for, and which of them are stale: the one place
 * rollout gating, bundles and aggregates decide it, so a wave, a bundle and a committed count
 * never disagree about who is in the fleet.
 */
import { matchesSelector } from '../bundle/selector.js';
import type { FleetRelease, MachineRecord } from './types.js';

/** `--fleet-stale-after` default: a machine not seen for an hour no longer gates waves. */
export const DEFAULT_STALE_AFTER_MS = 60 * 60_000;

/** The machines of the release's environment, not revoked, that its selector matches. */
export function machinesOf(
  release: Pick<FleetRelease, 'environment' | 'selector'>,
  machines: Iterable<MachineRecord>,
): MachineRecord[] {
  const out: MachineRecord[] = [];
  for (const m of machines) {
    if (m.environment !== release.environment || m.revokedAt !== undefined) continue;
    if (matchesSelector(release.selector, m.labels)) out.push(m);
  }
  return out;
}

/** Not seen (no authenticated request) for longer than `staleAfterMs`, or never. */
export function isStale(machine: MachineRecord, now: number, staleAfterMs: number): boolean {
  return machine.lastSeen === undefined || now - machine.lastSeen > staleAfterMs;
}
