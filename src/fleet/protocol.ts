/**
 * The wire contract between the fleet hub (`serve`) and a laptop's `mcp-gitops agent`
 * (DESIGN.md §4 "Fleet hosts"). The agent always connects out: it enrols once with a one-time
 * token, then pulls a signed bundle (the resolved desired state of the fleet targets its machine
 * matches) and posts a report after each reconcile.
 *
 * Why a resolved, signed bundle rather than the config repo read-only: a laptop gets only what its
 * own machine must run (no other environment, target, hook or policy), needs no git credentials,
 * and the hub decides which wave of a rollout the machine is in. The Ed25519 signature (the hub's
 * key, pinned by the agent at enrolment) means a bundle cached on disk or served by anything
 * between them cannot be altered. Secrets stay references: the agent resolves them on its machine.
 *
 * Every request after enrolment is signed with the machine's own Ed25519 key (generated on the
 * machine; only its public half leaves it) over method, path, machine id, timestamp, a nonce and
 * the body's digest (see signing.ts): a forged, altered or replayed request is refused.
 */

import type { DriftMode, TargetSpec } from '../core/resources.js';
import type { DesiredServer, Health } from '../core/state.js';

export const FLEET_PATHS = {
  enroll: '/fleet/v1/enroll',
  bundle: '/fleet/v1/bundle',
  report: '/fleet/v1/report',
  rotate: '/fleet/v1/rotate',
} as const;

/** Request headers of a signed agent request (all lower case, as Node presents them). */
export const FLEET_HEADERS = {
  machine: 'x-mcp-gitops-machine',
  timestamp: 'x-mcp-gitops-timestamp',
  nonce: 'x-mcp-gitops-nonce',
  signature: 'x-mcp-gitops-signature',
} as const;

/** A signed request older or newer than this (ms, against the hub's clock) is refused. */
export const FLEET_CLOCK_SKEW_MS = 5 * 60_000;

/** Caps the hub enforces on what agents send (untrusted input). */
export const FLEET_LIMITS = {
  enrollBodyBytes: 8 * 1024,
  reportBodyBytes: 256 * 1024,
  serversPerTarget: 1_000,
  targetsPerReport: 64,
  reasonChars: 500,
  driftPathsPerServer: 64,
  factChars: 128,
} as const;

/**
 * What the agent says about its machine. Untrusted: shown escaped, capped at FLEET_LIMITS.factChars
 * each, and `os` / `arch` are also the built-in labels a target's selector can match
 * (`os: darwin`), next to the labels given at enrolment.
 */
export interface MachineFacts {
  hostname: string;
  /** `process.platform`: linux, darwin, win32. */
  os: string;
  arch: string;
  user: string;
  agentVersion: string;
}

export interface EnrollRequest {
  /** The one-time token printed by `mcp-gitops fleet token create`. */
  token: string;
  /** The machine's Ed25519 public key: base64 of its SPKI DER encoding. */
  publicKey: string;
  facts: MachineFacts;
}

export interface EnrollResponse {
  machineId: string;
  environment: string;
  labels: Record<string, string>;
  /** The hub's Ed25519 public key (base64 SPKI DER): bundles must verify against it. */
  hubPublicKey: string;
}

/** Signed with the machine's current key; after it, only the new key is accepted. */
export interface RotateRequest {
  publicKey: string;
}

export interface RotateResponse {
  machineId: string;
  rotatedAt: string;
}

/** One fleet target as the machine must apply it. */
export interface BundleTarget {
  /** The fleet target's name in the environment. */
  name: string;
  /**
   * Its settings for the agent's own machine: `host` is `local`; `selector` and `rollout` are
   * removed; `home` is never set (the agent's own home is used).
   */
  settings: TargetSpec;
  /** Resolved servers (secrets as references), ordered by `dependsOn`. */
  servers: DesiredServer[];
  /** sha256 (hex) of canonicalJson({ settings, servers }): the version of this target's desired state. */
  digest: string;
  /** The environment tag this digest was released under, when known (`dev/v1.2.0`). */
  release?: string;
}

export interface FleetBundle {
  schema: 'mcp-gitops/fleet-bundle/v1';
  machineId: string;
  environment: string;
  /** Config commit the bundle was resolved from. */
  revision: string;
  /** ISO time the hub issued it. */
  issuedAt: string;
  sync: { drift: DriftMode; prune: boolean; suspend: boolean };
  targets: BundleTarget[];
}

export interface SignedBundle {
  bundle: FleetBundle;
  /** base64 Ed25519 signature over canonicalJson(bundle) with the hub's key. */
  signature: string;
}

export type AgentServerOutcome = 'unchanged' | 'applied' | 'failed' | 'rolled-back' | 'skipped';

export interface AgentServerReport {
  name: string;
  specHash: string;
  outcome: AgentServerOutcome;
  health: Health;
  /** Tools the server listed when verified. */
  tools?: number;
  /** Why it failed or is unhealthy (redacted, capped at FLEET_LIMITS.reasonChars). */
  reason?: string;
}

/**
 * `in-sync`: every server applied and healthy. `drifted`: a managed entry differs from the bundle
 * and was not corrected (sync.drift warn/detect). `failing`: a change failed, a server is unhealthy,
 * or the target could not be observed.
 */
export type MachineTargetState = 'in-sync' | 'drifted' | 'failing';

export interface AgentTargetReport {
  target: string;
  /** The BundleTarget.digest the agent reconciled against. */
  digest: string;
  state: MachineTargetState;
  servers: AgentServerReport[];
  /** Managed entries that differ from the bundle (field paths only, never values). */
  drift: { server: string; paths: string[] }[];
  /** A target-level error (observe failed), redacted and capped. */
  error?: string;
}

export interface AgentReport {
  schema: 'mcp-gitops/fleet-report/v1';
  machineId: string;
  /** The revision of the bundle the agent reconciled against. */
  revision: string;
  targets: AgentTargetReport[];
  facts: MachineFacts;
}
