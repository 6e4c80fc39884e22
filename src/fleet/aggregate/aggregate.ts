/**
 * Per fleet target, what its machines last reported, as counts (issue 15, "status that scales"):
 * the one record of a fleet that goes into git. No timestamps and no machine ids, only counts that
 * change when something real does (a machine turns failing, goes stale, a wave opens), so
 * committing it whenever its text changes never makes a commit per check-in. Pure.
 *
 * A machine counts once: `stale` (not seen for the stale period), else `pending` (it has not yet
 * reported the digest the rollout gives it), else by its report: in sync, drifted or failing.
 */
import { isStale, machinesOf } from '../rollout/fleet-machines.js';
import type { Rollouts } from '../rollout/rollouts.js';
import type { FleetRelease, MachineRecord, RolloutState } from '../rollout/types.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface FleetAggregate {
  environment: string;
  target: string;
  machines: number;
  inSync: number;
  drifted: number;
  failing: number;
  stale: number;
  pending: number;
  /** Machines by the digest they last reported (first 12 hex), with its release tag when known. */
  byDigest: Record<string, { release?: string; count: number }>;
  rollout: { state: RolloutState; wave: number; waves: number[]; reason?: string };
}

export interface AggregateTargetInput {
  release: FleetRelease;
  rollout: FleetAggregate['rollout'];
  /** The target's machines (machinesOf). */
  machines: readonly MachineRecord[];
  /** The digest the rollout gives a machine. */
  digestFor(machine: MachineRecord): string | undefined;
  /** The release tag of a digest, when the hub still knows it. */
  releaseTagOf(digest: string): string | undefined;
  now: number;
  staleAfterMs: number;
}

export function aggregateTarget(input: AggregateTargetInput): FleetAggregate {
  const { release } = input;
  const out: FleetAggregate = {
    environment: release.environment,
    target: release.target,
    machines: input.machines.length,
    inSync: 0,
    drifted: 0,
    failing: 0,
    stale: 0,
    pending: 0,
    byDigest: {},
    rollout: input.rollout,
  };
  for (const m of input.machines) {
    const reported = m.targets[release.target];
    if (reported) {
      // Agents are untrusted: only a sha256 hex digest becomes a key of the committed file.
      const key = SHA256_HEX.test(reported.digest) ? reported.digest.slice(0, 12) : 'unrecognised';
      const entry = out.byDigest[key] ?? { count: 0 };
      const tag = input.releaseTagOf(reported.digest);
      out.byDigest[key] = { ...(tag ? { release: tag } : {}), count: entry.count + 1 };
    }
    if (isStale(m, input.now, input.staleAfterMs)) out.stale++;
    else if (!reported || reported.digest !== input.digestFor(m)) out.pending++;
    else if (reported.state === 'in-sync') out.inSync++;
    else if (reported.state === 'drifted') out.drifted++;
    else out.failing++;
  }
  return out;
}

/** Every fleet target the rollouts know (of one environment), sorted by environment and target. */
export function aggregateFleet(
  rollouts: Rollouts,
  machines: Iterable<MachineRecord>,
  now: number,
  environment?: string,
): FleetAggregate[] {
  const all = [...machines];
  return rollouts.currentReleases(environment).map((release) => {
    const matching = machinesOf(release, all);
    const status = rollouts.statusOf(release.environment, release.target);
    return aggregateTarget({
      release,
      rollout: {
        state: status?.state ?? 'complete',
        wave: status?.wave ?? 0,
        waves: [...(status?.waves ?? release.rollout.waves)],
        ...(status?.reason ? { reason: status.reason } : {}),
      },
      machines: matching,
      digestFor: (m) => rollouts.digestFor(m, release.environment, release.target, matching),
      releaseTagOf: (digest) =>
        rollouts.releaseOf(release.environment, release.target, digest)?.bundleTarget.release,
      now,
      staleAfterMs: rollouts.staleAfterMs,
    });
  });
}
