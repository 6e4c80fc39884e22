/** What goes back into git: `reports/<env>/<target>.json` (DESIGN.md §6). */
import type { ServerIdentity } from '../surface/types.js';
import type { Action, FieldDiff, RetiredInfo } from './plan.js';
import type { Health, PlaintextSecretFinding } from './state.js';

export type ConditionType = 'Ready' | 'Reconciling' | 'Stalled';
export interface Condition {
  type: ConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export type ChangeOutcome = 'applied' | 'failed' | 'rolled-back' | 'skipped' | 'unchanged';

export interface ChangeResult {
  server: string;
  action: Action;
  outcome: ChangeOutcome;
  message?: string;
  diffs?: FieldDiff[];
  /**
   * Removed from the target because its tool surface failed `health.tools: pin` with no earlier
   * spec to go back to (a new server, or one whose surface changed while it ran): not on the
   * target until its lock or spec changes. `message` says why, naming the changed tools.
   */
  quarantined?: boolean;
}

export interface InventoryEntry {
  server: string;
  version?: string;
  transport: string;
  specHash: string;
  health: Health;
  /** Why it is not healthy: the verification's error, or how its supervisor found it down. */
  healthReason?: string;
  /**
   * The config revision at which its current health was first seen, kept while the health stays
   * the same (so re-verifying a healthy server changes nothing in git). The time of the last
   * verification is served by `serve` (status page, metrics), never committed.
   */
  healthSince?: string;
  /** Restarts its supervisor made after it died (process launcher, container engine). */
  restarts?: number;
  toolCount?: number;
  toolsHash?: string;
  /**
   * Under `health.tools: warn`, what differs from the lock (tool names, `(instructions)`,
   * `(prompts)`, `(resource templates)`): the report's `ToolsChanged`. Absent when it matches.
   */
  toolsChanged?: string[];
  /**
   * The tool surface verification last saw, as names and fingerprints only: descriptions,
   * schemas and instructions are text from the target and are never committed in a report.
   */
  surface?: InventorySurface;
  /** Who answered verification, on which protocol revision and handshake. */
  protocol?: ServerIdentity;
  endpoint?: string;
}

/** A `ToolSurface` reduced to what a report keeps (see src/report/surface-summary.ts). */
export interface InventorySurface {
  /** The whole surface's fingerprint, as a ToolLock records it. */
  fingerprint: string;
  /** Sorted by name. */
  tools: { name: string; fingerprint: string }[];
  /** Prompt names, sorted. */
  prompts: string[];
  /** Resource template URIs, sorted. */
  resourceTemplates: string[];
  /** `sha256:` over the server's instructions, when it gave any. */
  instructionsFingerprint?: string;
}

export interface RunRecord {
  revision?: string;
  result: 'success' | 'failed' | 'no-op' | 'stalled';
  changed: number;
  failed: number;
  drifted: number;
}

export interface TargetReport {
  apiVersion: 'mcp-gitops/v1';
  kind: 'TargetReport';
  environment: string;
  target: string;
  provider: string;
  host: string;
  /**
   * Set while a target removed from the repo still has servers mcp-gitops put there (kept because
   * `sync.prune` is false, or not deleted yet). Its report is removed once nothing is left.
   */
  retired?: RetiredInfo;
  /**
   * Set while the target's environment is suspended (`sync.suspend: true`): nothing is applied to
   * it, drift and held changes are still reported. `reason` is the environment's `sync.suspendReason`.
   */
  suspended?: { reason?: string };
  revision: { applied?: string; attempted?: string };
  conditions: Condition[];
  facts?: Record<string, string>;
  inventory: InventoryEntry[];
  drift: { server: string; paths: string[] }[];
  /**
   * Plaintext secrets in entries mcp-gitops does not manage (a user's own client entries), as the
   * last observation found them: file, client, entry, key path and what it looks like, never the
   * value. Warnings: they change no condition. Absent when there are none.
   */
  findings?: PlaintextSecretFinding[];
  lastApply: ChangeResult[];
  /** Newest first, at most 5. */
  runs: RunRecord[];
}
