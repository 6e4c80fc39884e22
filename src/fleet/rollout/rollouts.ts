/**
 * The hub's rollouts: per environment and fleet target, the newest release (current), the last
 * complete one (stable) and the rollout's status (issue 15, progressive rollout). `release` is
 * called when a config revision is deployed, `onReport` after machines report, `digestFor` when a
 * machine pulls its bundle. Plain JSON in and out (`toJSON` / `fromJSON`) so the hub store can
 * persist it; nothing here does I/O.
 *
 * Rules (fleet-common.md): the same digest again changes nothing; a new digest starts a
 * progressing rollout at wave 0 while everyone outside the open wave keeps the stable digest; a
 * digest that was complete before (a rollback to the stable release or an older good one) is
 * complete at once and reaches every machine. A target's first release is complete at once too:
 * no machine has anything to keep, and holding the target back from most of the fleet would be
 * the only alternative (Argo Rollouts skips its steps on a first deploy for the same reason).
 */
import { advance, inWave } from './advance.js';
import { DEFAULT_STALE_AFTER_MS, machinesOf } from './fleet-machines.js';
import type { FleetRelease, MachineRecord, RolloutStatus } from './types.js';

export interface RolloutsOptions {
  /** Machines not seen for longer than this do not gate waves (`--fleet-stale-after`). */
  staleAfterMs?: number;
}

/** What `release` did to one target. */
export interface ReleaseOutcome {
  environment: string;
  target: string;
  digest: string;
  /** `unchanged`: same digest; `started`: waves begin; `complete`: everyone at once; `removed`: target gone. */
  outcome: 'unchanged' | 'started' | 'complete' | 'removed';
}

interface TargetRollout {
  current: FleetRelease;
  /** The last complete release (undefined only before the first one completes). */
  stable?: FleetRelease;
  status: RolloutStatus;
  /** Digests that completed on this target, newest last (bounded): a return to one is a rollback. */
  completed: string[];
}

/** The persisted form. */
export interface RolloutsJson {
  schema: 'mcp-gitops/fleet-rollouts/v1';
  targets: TargetRollout[];
}

const COMPLETED_KEPT = 10;

export class Rollouts {
  readonly staleAfterMs: number;
  private readonly targets = new Map<string, TargetRollout>();

  constructor(options: RolloutsOptions = {}) {
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  }

  /**
   * A config revision was deployed: `releases` are the fleet targets of the environments it covers
   * (by default the environments named in `releases`; pass `environments` to also cover ones that
   * no longer have fleet targets). Targets of those environments missing from `releases` are
   * forgotten.
   */
  release(
    releases: readonly FleetRelease[],
    now: number,
    options: { environments?: readonly string[] } = {},
  ): ReleaseOutcome[] {
    const out: ReleaseOutcome[] = [];
    const covered = new Set(options.environments ?? releases.map((r) => r.environment));
    const kept = new Set(releases.map((r) => keyOf(r.environment, r.target)));
    for (const [key, t] of this.targets) {
      if (!covered.has(t.current.environment) || kept.has(key)) continue;
      this.targets.delete(key);
      out.push({ ...at(t.current), digest: t.current.bundleTarget.digest, outcome: 'removed' });
    }
    for (const r of releases) out.push(this.releaseOne(r, now));
    return out.sort((a, b) => compare(keyOf(a.environment, a.target), keyOf(b.environment, b.target)));
  }

  private releaseOne(r: FleetRelease, now: number): ReleaseOutcome {
    const key = keyOf(r.environment, r.target);
    const digest = r.bundleTarget.digest;
    const prev = this.targets.get(key);
    const complete = (completed: string[]): ReleaseOutcome => {
      this.targets.set(key, {
        current: r,
        stable: r,
        status: {
          ...at(r),
          digest,
          stableDigest: digest,
          state: 'complete',
          wave: last(r),
          waves: [...r.rollout.waves],
          since: now,
        },
        completed: remember(completed, digest),
      });
      return { ...at(r), digest, outcome: 'complete' };
    };
    if (!prev) return complete([]);
    if (prev.current.bundleTarget.digest === digest) {
      // Same desired state: keep the rollout where it is; take the newer revision and settings, and
      // the release tag unless this revision made none (a reconcile that changed nothing tags nothing).
      const tag = r.bundleTarget.release ?? prev.current.bundleTarget.release;
      const next: FleetRelease = tag ? { ...r, bundleTarget: { ...r.bundleTarget, release: tag } } : r;
      const waves = [...r.rollout.waves];
      const wave = Math.min(prev.status.wave, waves.length - 1);
      this.targets.set(key, {
        ...prev,
        current: next,
        ...(prev.status.state === 'complete' ? { stable: next } : {}),
        status: { ...prev.status, waves, wave: prev.status.state === 'complete' ? last(r) : wave },
      });
      return { ...at(r), digest, outcome: 'unchanged' };
    }
    if (prev.completed.includes(digest)) return complete(prev.completed);
    const stable = prev.status.state === 'complete' ? prev.current : prev.stable;
    const completed =
      prev.status.state === 'complete'
        ? remember(prev.completed, prev.current.bundleTarget.digest)
        : prev.completed;
    if (!stable) return complete(completed);
    this.targets.set(key, {
      current: r,
      stable,
      status: {
        ...at(r),
        digest,
        stableDigest: stable.bundleTarget.digest,
        state: 'progressing',
        wave: 0,
        waves: [...r.rollout.waves],
        since: now,
      },
      completed,
    });
    return { ...at(r), digest, outcome: 'started' };
  }

  /**
   * Machines reported (or time passed): advance or halt every progressing rollout. `machines` is
   * every machine the hub knows; each target takes the ones its selector matches. Returns the
   * statuses that changed.
   */
  onReport(machines: Iterable<MachineRecord>, now: number): RolloutStatus[] {
    const all = [...machines];
    const changed: RolloutStatus[] = [];
    for (const [key, t] of this.targets) {
      if (t.status.state !== 'progressing') continue;
      const next = advance({
        status: t.status,
        rollout: t.current.rollout,
        machines: machinesOf(t.current, all),
        now,
        staleAfterMs: this.staleAfterMs,
      });
      if (next === t.status) continue;
      const completed = next.state === 'complete';
      this.targets.set(key, {
        ...t,
        status: next,
        ...(completed ? { stable: t.current, completed: remember(t.completed, next.digest) } : {}),
      });
      changed.push(next);
    }
    return changed;
  }

  /**
   * The digest `machine` must run for a target: the current one when the rollout is complete, the
   * machine is in the open wave or already runs it; otherwise the stable one. `matching` is the
   * target's machines (machinesOf), `machine` among them. Undefined for an unknown target.
   */
  digestFor(
    machine: MachineRecord,
    environment: string,
    target: string,
    matching: readonly MachineRecord[],
  ): string | undefined {
    const t = this.targets.get(keyOf(environment, target));
    if (!t) return undefined;
    const current = t.current.bundleTarget.digest;
    if (t.status.state === 'complete' || !t.stable) return current;
    return inWave(t.status, matching, machine) ? current : t.stable.bundleTarget.digest;
  }

  /** The release of a target with that digest (current or stable), if the hub still has it. */
  releaseOf(environment: string, target: string, digest: string): FleetRelease | undefined {
    const t = this.targets.get(keyOf(environment, target));
    if (!t) return undefined;
    if (t.current.bundleTarget.digest === digest) return t.current;
    return t.stable?.bundleTarget.digest === digest ? t.stable : undefined;
  }

  /** The newest release of every fleet target (of one environment), sorted by environment and target. */
  currentReleases(environment?: string): FleetRelease[] {
    return this.sorted()
      .map((t) => t.current)
      .filter((r) => environment === undefined || r.environment === environment);
  }

  /** Every target's rollout status, sorted by environment and target. */
  status(): RolloutStatus[] {
    return this.sorted().map((t) => ({ ...t.status, waves: [...t.status.waves] }));
  }

  statusOf(environment: string, target: string): RolloutStatus | undefined {
    return this.targets.get(keyOf(environment, target))?.status;
  }

  toJSON(): RolloutsJson {
    return { schema: 'mcp-gitops/fleet-rollouts/v1', targets: this.sorted() };
  }

  /** Restore what `toJSON` wrote (through JSON). A file of another shape is refused with a message. */
  static fromJSON(json: unknown, options: RolloutsOptions = {}): Rollouts {
    const rollouts = new Rollouts(options);
    const data = json as Partial<RolloutsJson> | null;
    if (data?.schema !== 'mcp-gitops/fleet-rollouts/v1' || !Array.isArray(data.targets)) {
      throw new Error('not a mcp-gitops/fleet-rollouts/v1 document');
    }
    for (const t of data.targets) {
      if (!t?.current?.bundleTarget || !t.status || !Array.isArray(t.completed)) {
        throw new Error('a fleet rollout record lacks its current release, status or completed digests');
      }
      rollouts.targets.set(keyOf(t.current.environment, t.current.target), t);
    }
    return rollouts;
  }

  private sorted(): TargetRollout[] {
    return [...this.targets.entries()].sort(([a], [b]) => compare(a, b)).map(([, t]) => t);
  }
}

function keyOf(environment: string, target: string): string {
  return `${environment}\0${target}`;
}

function at(r: Pick<FleetRelease, 'environment' | 'target'>): { environment: string; target: string } {
  return { environment: r.environment, target: r.target };
}

function last(r: FleetRelease): number {
  return Math.max(0, r.rollout.waves.length - 1);
}

function remember(completed: readonly string[], digest: string): string[] {
  return [...completed.filter((d) => d !== digest), digest].slice(-COMPLETED_KEPT);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
