/**
 * One step of a progressing rollout, as data (issue 15): given the wave now open and what the
 * machines last reported, halt, wait, open the next wave or complete. Pure; `Rollouts` holds the
 * result. The rules:
 * - halt when `pauseOnFailure` and a machine of the open wave (waves are cumulative) reports
 *   `failing` for the new digest; a halted rollout stays halted until a new release;
 * - advance when every non-stale machine of the open wave has reported the new digest and at
 *   least `minHealthy` of those reporting are in sync (stale machines do not gate a wave); when all
 *   have reported and too few are in sync, the wave waits and `reason` says so;
 * - the last wave advancing completes the rollout: its digest becomes the stable one.
 */
import { isStale } from './fleet-machines.js';
import type { MachineRecord, RolloutSpec, RolloutStatus } from './types.js';
import { formatPercent, waveLabel, waveMembers } from './waves.js';

export interface AdvanceInput {
  status: RolloutStatus;
  rollout: RolloutSpec;
  /** The machines the target stands for (machinesOf). */
  machines: readonly MachineRecord[];
  now: number;
  staleAfterMs: number;
}

/** Wave member sets per `machines` array: `digestFor` over one target's machines computes it once. */
const membersOf = new WeakMap<readonly MachineRecord[], { sig: string; members: Set<string> }>();

type WaveOf = Pick<RolloutStatus, 'target' | 'digest' | 'waves' | 'wave'>;

/** The ids the open wave covers, computed once per `machines` array (and status). */
function membersFor(status: WaveOf, machines: readonly MachineRecord[]): Set<string> {
  const sig = `${status.digest}\0${status.wave}\0${status.waves.join(',')}\0${machines.length}`;
  let memo = membersOf.get(machines);
  if (memo?.sig !== sig) {
    const ids = machines.map((m) => m.machineId);
    memo = { sig, members: waveMembers(ids, status.digest, status.waves, status.wave) };
    membersOf.set(machines, memo);
  }
  return memo.members;
}

/** Whether `machine` gets the new digest: in the open wave, or it already runs it. */
export function inWave(status: WaveOf, machines: readonly MachineRecord[], machine: MachineRecord): boolean {
  return (
    machine.targets[status.target]?.digest === status.digest ||
    membersFor(status, machines).has(machine.machineId)
  );
}

/** The machines that get the new digest: the open wave's, plus any that already run it. */
export function waveMachines(status: WaveOf, machines: readonly MachineRecord[]): MachineRecord[] {
  return machines.filter((m) => inWave(status, machines, m));
}

/** The status after as many steps as the reports allow (the same object when nothing changed). */
export function advance(input: AdvanceInput): RolloutStatus {
  let status = input.status;
  while (status.state === 'progressing') {
    const next = step({ ...input, status });
    if (next === status) break;
    status = next;
  }
  return status;
}

function step(input: AdvanceInput): RolloutStatus {
  const { status, rollout } = input;
  const wave = waveMachines(status, input.machines);
  const reportOf = (m: MachineRecord) => {
    const r = m.targets[status.target];
    return r?.digest === status.digest ? r : undefined;
  };
  const failing = wave.filter((m) => reportOf(m)?.state === 'failing');
  if (rollout.pauseOnFailure && failing.length > 0) {
    return {
      ...status,
      state: 'halted',
      reason:
        `${waveLabel(status.waves, status.wave)}: ${failing.length} of ${wave.length} ` +
        `machine${wave.length === 1 ? '' : 's'} failing verification`,
      since: input.now,
    };
  }
  const live = wave.filter((m) => !isStale(m, input.now, input.staleAfterMs));
  const reported = live.filter((m) => reportOf(m) !== undefined);
  if (reported.length < live.length) return status;
  const inSync = reported.filter((m) => reportOf(m)?.state === 'in-sync').length;
  if (reported.length > 0 && inSync < rollout.minHealthy * reported.length - 1e-9) {
    // Every machine answered and too few are in sync: say why the wave waits (not a halt).
    const reason =
      `${waveLabel(status.waves, status.wave)}: ${inSync} of ${reported.length} reporting machines in sync, ` +
      `${formatPercent(rollout.minHealthy)} needed`;
    return reason === status.reason ? status : { ...status, reason };
  }
  const { reason: _reason, ...rest } = status;
  if (status.wave >= status.waves.length - 1)
    return { ...rest, state: 'complete', stableDigest: status.digest, since: input.now };
  return { ...rest, wave: status.wave + 1, since: input.now };
}
