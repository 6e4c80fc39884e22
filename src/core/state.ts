/**
 * Desired state (what the repo says, resolved for one environment and target) and observed state
 * (what a provider found on the target). Planning compares the two and nothing else.
 */
import type { DriftMode, HookResource, ServerSpec, TargetSpec } from './resources.js';

/**
 * A server fully resolved for one target: environment overrides merged, Handlebars rendered,
 * defaults filled, secrets still references. `specHash` is a sha256 of its normalized JSON.
 */
export interface DesiredServer {
  name: string;
  spec: ServerSpec;
  specHash: string;
}

export interface DesiredTarget {
  environment: string;
  name: string;
  provider: string;
  /** `local` or `ssh://user@host:port`. */
  host: string;
  settings: TargetSpec;
  /** Ordered so that every server comes after its `dependsOn`. */
  servers: DesiredServer[];
}

export interface ResolvedSync {
  drift: DriftMode;
  prune: boolean;
  maxDeletions: number;
  /**
   * Nothing is applied to the environment (reconcile, apply, serve, watch): its targets are still
   * observed, and drift and pending changes reported. Default false.
   */
  suspend: boolean;
  /** Why, as `sync.suspendReason` says; only set while `suspend` is true. */
  suspendReason?: string;
}

export interface DesiredEnvironment {
  name: string;
  vars: Record<string, string>;
  sync: ResolvedSync;
  targets: DesiredTarget[];
  /**
   * Fleet targets (`host: fleet`, DESIGN.md §4 "Fleet hosts"): each stands for every enrolled
   * machine its selector matches, and is applied by those machines' agents from a signed bundle
   * (src/fleet/bundle/). Kept apart from `targets` so the reconciler's own engine never observes,
   * plans or applies them. Empty when the environment has none.
   */
  fleet: DesiredTarget[];
  hooks: HookResource[];
}

/**
 * A target with a committed report that the repo no longer lists (DESIGN.md §3, pruning). Found
 * from the reports at HEAD; its settings resolved from the config revision of its last report.
 */
export interface RetiredTarget {
  /** The environment as it was at `revision`, with the `sync` that applies now and only this target. */
  environment: DesiredEnvironment;
  /** Its settings at `revision`, with no desired servers. */
  target: DesiredTarget;
  /** Config revision its settings were read at. */
  revision?: string;
  /** Its whole environment is gone from the repo too. */
  environmentRemoved: boolean;
  /** Why its settings could not be read: then it is not touched, only reported (Stalled). */
  unreadable?: string;
}

export interface DesiredState {
  /** Commit oid the desired state was read at, when known. */
  revision?: string;
  environments: DesiredEnvironment[];
  /** Targets removed from the repo that still have a committed report (the engine fills this in). */
  retired?: RetiredTarget[];
  /** Repository settings with defaults applied. */
  repository: {
    name: string;
    branch: string;
    reportsDir: string;
    tagPrefix: string;
    author: { name: string; email: string };
  };
}

export type Health = 'healthy' | 'unhealthy' | 'starting' | 'unknown';

/** One managed server as a provider found it. */
export interface ObservedServer {
  name: string;
  /** The spec the provider last applied (from its inventory), normalized; undefined if unknown. */
  spec?: ServerSpec;
  specHash?: string;
  /**
   * What is really there, as comparable fields (e.g. the client entry as written on disk, or
   * `{ running: false }` for a dead process). Planning diffs these against the provider's
   * `render` of the desired server.
   */
  actual?: Record<string, unknown>;
  running?: boolean;
  health?: Health;
  /** Times the supervisor (launcher, container engine) restarted it after it died. */
  restarts?: number;
  /**
   * Why it is not serving, as the provider learned it: an exit code and signal, "keeps exiting
   * (restarted N times)", the last lines of its log (redacted). Undefined while it runs.
   */
  down?: string;
}

export interface ObservedTarget {
  environment: string;
  target: string;
  /** False when the target could not be observed: it is then Stalled with `reason`. */
  reachable: boolean;
  reason?: string;
  servers: ObservedServer[];
  /** Facts about the host worth reporting, e.g. `{ supervisor: 'start-stop-daemon' }`. */
  facts?: Record<string, string>;
  /**
   * Plaintext secrets in entries the target holds that mcp-gitops does not manage (client-config:
   * the user's own client entries). Warnings only; never the value.
   */
  findings?: PlaintextSecretFinding[];
}

/** A plaintext secret in an entry mcp-gitops does not manage: where it is, never what it is. */
export interface PlaintextSecretFinding {
  /** The client file, `~/` for the home folder. */
  file: string;
  /** Client id (`cursor`, `claude-code`). */
  client: string;
  /** The entry's name in the file. */
  entry: string;
  /** Key path inside the entry: `env.GITHUB_TOKEN`, `headers.Authorization`, `args[3]`. */
  path: string;
  /** What it looks like (`looks like a GitHub personal access token (ghp_)`), never the value. */
  reason: string;
}
