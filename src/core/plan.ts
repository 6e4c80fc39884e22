/** A plan is data (Terraform keeps one that can be saved and applied later). */

import type { ToolsDrift } from '../surface/types.js';
import type { SourceLocation } from './config-set.js';
import type { DriftMode } from './resources.js';
import type { DesiredServer, ObservedServer } from './state.js';

export type Action = 'create' | 'update' | 'delete' | 'noop';

/** Why a change exists: the repo changed (`spec`), the target drifted (`drift`), or it is gone (`missing`). */
export type ChangeReason = 'spec' | 'drift' | 'missing' | 'prune' | 'in-sync' | 'orphan-kept';

export interface FieldDiff {
  /** Dotted path, e.g. `env.LOG_LEVEL` or `package.version`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface Change {
  environment: string;
  target: string;
  server: string;
  action: Action;
  reason: ChangeReason;
  diffs: FieldDiff[];
  /** With drift mode `warn` / `detect`, drift is reported but not corrected: `apply` skips it. */
  skipApply?: boolean;
  desired?: DesiredServer;
  observed?: ObservedServer;
  /**
   * Set by `drift` (and plans that verify running servers) when the server's tool surface differs
   * from its lock or last report though its spec did not change: `ToolsChanged`. Never applied.
   */
  tools?: ToolsDrift;
}

/**
 * A target the repo no longer lists (removed from its environment, or its environment removed) that
 * still has a committed report: its settings were read at `revision`, the config revision of that
 * report. Its servers are deleted when `prune` applies, otherwise kept and reported.
 */
export interface RetiredInfo {
  /** Config revision its settings were read at; undefined when its report recorded none. */
  revision?: string;
  /** The whole environment is gone from the repo (the removed environment's own `sync` applied). */
  environmentRemoved: boolean;
  /** The `sync.prune` that applies: the environment's now, or the removed environment's. */
  prune: boolean;
}

export interface TargetPlan {
  environment: string;
  target: string;
  provider: string;
  host: string;
  /** Set when the target could not be observed: no changes are planned for it. */
  stalled?: { reason: string };
  /**
   * Set in a pull request's plan for a target the pull request adds or changes: it is not
   * observed (only targets as the base branch defines them are), so its changes are planned after
   * merge. `servers` are the servers the pull request gives it.
   */
  deferred?: { reason: string; servers: string[] };
  /** The environment's `sync.drift`, so renderers can say why drift is not corrected. */
  driftMode?: DriftMode;
  /**
   * Set on every target of an environment with `sync.suspend: true`: its changes are planned and
   * shown, never applied; `reason` is the environment's `sync.suspendReason`.
   */
  suspended?: { reason?: string };
  /** Set for a target removed from the repo: its owned servers are deleted (prune) or kept. */
  retired?: RetiredInfo;
  changes: Change[];
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noop: number;
  drifted: number;
  stalled: number;
  /** Servers with `ToolsChanged` drift (`Change.tools`); absent when none were found or none were checked. */
  toolsChanged?: number;
  /** Preflight warnings (`Plan.warnings`); absent when there are none. */
  warnings?: number;
}

/**
 * What a preflight check found that `apply` would fail on: a secret reference that does not
 * resolve here, a program the target's host lacks, a target that could not be observed. And
 * `plaintext-secret`: an entry mcp-gitops does not manage (a user's own client entry) holds a
 * secret in plaintext; `apply` does not fail on it and never touches that entry.
 */
export type PlanWarningCode =
  | 'secret-unresolved'
  | 'runtime-missing'
  | 'runtime-unchecked'
  | 'target-unreachable'
  | 'plaintext-secret';

/**
 * A preflight warning (Terraform's plan warnings): shown with the plan, counted in its summary,
 * never a change of the exit code unless `plan --strict`. Never holds a secret value.
 */
export interface PlanWarning {
  code: PlanWarningCode;
  environment: string;
  target: string;
  /** The server the warning is about; absent for a whole target. */
  server?: string;
  /** What is wrong, without the environment/target/server prefix renderers add. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** The YAML that caused it: a secret's `ref`, a server's `package` / `command`, a target's `host`. */
  source?: SourceLocation;
}

/**
 * A fleet target (`host: fleet`): never observed or planned by this reconciler; the enrolled
 * machines its selector matches apply it through their agents (src/fleet/). Named in the plan so
 * a reader knows where those servers go.
 */
export interface FleetTargetNote {
  environment: string;
  target: string;
  /** The servers it carries, in the resolved order. */
  servers: string[];
}

export interface Plan {
  formatVersion: 1;
  revision?: string;
  environments: string[];
  targets: TargetPlan[];
  /** Fleet targets of the planned environments, once each; absent when there are none. */
  fleet?: FleetTargetNote[];
  /** Safety gates that stop the plan before apply (e.g. maxDeletions exceeded). */
  blocked: { environment: string; reason: string }[];
  /** Preflight warnings, in a fixed order; absent when there are none (see `plan/plan-warnings.ts`). */
  warnings?: PlanWarning[];
  summary: PlanSummary;
}
