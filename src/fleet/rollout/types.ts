/**
 * What the hub knows about each enrolled machine and each fleet target's release, shared by the
 * hub's routes (hub/), the rollout (rollout/) and the aggregates committed to git (aggregate/).
 */
import type { AgentTargetReport, BundleTarget, FleetBundle, MachineFacts } from '../protocol.js';

/** `rollout:` of a fleet target, defaults filled: waves as fractions in (0, 1], the last 1. */
export interface RolloutSpec {
  /** e.g. [0.05, 0.25, 1]. Default [1]: everything at once. */
  waves: number[];
  /** Halt the rollout when a machine of the current wave reports failing (default true). */
  pauseOnFailure: boolean;
  /** Fraction of a wave's reporting machines that must be in sync before the next wave (default 1). */
  minHealthy: number;
}

export interface MachineRecord {
  machineId: string;
  environment: string;
  /** Labels given at enrolment, plus the built-ins `os` and `arch` from its facts. */
  labels: Record<string, string>;
  facts: MachineFacts;
  /** base64 SPKI DER of the key its requests must be signed with. */
  publicKey: string;
  enrolledAt: number;
  rotatedAt?: number;
  revokedAt?: number;
  /** Last authenticated request, ms since epoch. */
  lastSeen?: number;
  /** The last report per fleet target name. */
  targets: Record<string, AgentTargetReport & { reportedAt: number }>;
}

/** One fleet target's desired state at a config revision, as the hub resolved it. */
export interface FleetRelease {
  environment: string;
  target: string;
  revision: string;
  selector: Record<string, string>;
  rollout: RolloutSpec;
  /** The bundle target (its digest is the release's identity). */
  bundleTarget: BundleTarget;
  /**
   * The environment's sync settings at that revision (FleetBundle.sync). Optional so a release can
   * be built from the target alone; bundles then use the defaults (correct, no prune, not suspended).
   */
  sync?: FleetBundle['sync'];
}

export type RolloutState = 'complete' | 'progressing' | 'halted';

export interface RolloutStatus {
  environment: string;
  target: string;
  /** The digest being rolled out (the newest release). */
  digest: string;
  /** The digest machines outside the current wave keep (the last complete release), if any. */
  stableDigest?: string;
  state: RolloutState;
  /** Index into waves of the wave now open (machines in waves 0..wave get `digest`). */
  wave: number;
  waves: number[];
  /** Why it halted, e.g. `wave 1 (5%): 1 of 1 machines failing verification`. */
  reason?: string;
  /** When it entered its current state or wave, ms since epoch (hub state only, never committed). */
  since?: number;
}
