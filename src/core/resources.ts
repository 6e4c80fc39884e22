/**
 * What users write: the resource kinds of DESIGN.md §2. These mirror `schemas/*.schema.json`,
 * which are the source of truth for validation; keep the two in step.
 */
import type { ToolSurface, ToolsMode } from '../surface/types.js';
import type { RepositoryUpdates, UpdatePolicySpec } from './update-resources.js';

export type * from './update-resources.js';

export const API_VERSION = 'mcp-gitops/v1';
export type Kind = 'Repository' | 'Server' | 'Environment' | 'Policy' | 'Hook' | 'ToolLock';
export const KINDS: readonly Kind[] = ['Repository', 'Server', 'Environment', 'Policy', 'Hook', 'ToolLock'];

export interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Resource<K extends Kind, S> {
  apiVersion: typeof API_VERSION;
  kind: K;
  metadata: Metadata;
  spec: S;
}

// ---- Repository -------------------------------------------------------------------------------
export interface RepositorySpec {
  branch: string;
  policies?: string[];
  reports?: { dir?: string };
  tags?: { prefix?: string };
  commit?: { author?: { name?: string; email?: string } };
  /** Update automation (`mcp-gitops updates`): rules by label, registries, pull requests. */
  updates?: RepositoryUpdates;
}
export type RepositoryResource = Resource<'Repository', RepositorySpec>;

// ---- Server -----------------------------------------------------------------------------------
export type Transport = 'stdio' | 'streamable-http' | 'sse';
export type RegistryType = 'npm' | 'pypi' | 'oci';

/** `env:VAR` | `file:PATH` (later `sops:FILE#KEY`, `vault:PATH#KEY`, `k8s:SECRET/KEY`). */
export type SecretRefString = string;

export interface SecretBinding {
  /** The variable the server process sees. */
  name: string;
  ref: SecretRefString;
}

export interface PackageSource {
  registryType: RegistryType;
  identifier: string;
  version: string;
  packageArguments?: string[];
  runtimeArguments?: string[];
}

export interface CommandSource {
  path: string;
  args?: string[];
}

export interface RemoteSource {
  url: string;
  headers?: Record<string, string>;
}

export interface HealthSpec {
  expectTools?: string[];
  timeoutMs?: number;
  /** How a tool surface that differs from the lock is treated (src/surface/tools-mode.ts). */
  tools?: ToolsMode;
  /** The oldest MCP protocol revision (`YYYY-MM-DD`) verification accepts (src/verify/verify-server.ts). */
  minProtocolVersion?: string;
}

/** Health defaults an environment or a target gives every server it holds. */
export interface HealthDefaults {
  tools?: ToolsMode;
  minProtocolVersion?: string;
}

/** A probe of the kubernetes provider: TCP on the server's port unless `httpPath` is given. */
export interface KubernetesProbe {
  httpPath?: string;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

/** A server's `kubernetes:` block: small, typed overrides of the provider's safe defaults. */
export interface KubernetesServerOptions {
  replicas?: number;
  resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
  securityContext?: { runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean };
  /** `false` turns the probe off. */
  readinessProbe?: KubernetesProbe | false;
  livenessProbe?: KubernetesProbe | false;
  serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
}

export interface ServerSpec {
  description?: string;
  package?: PackageSource;
  command?: CommandSource;
  remote?: RemoteSource;
  transport: Transport;
  port?: number;
  path?: string;
  env?: Record<string, string>;
  secrets?: SecretBinding[];
  health?: HealthSpec;
  dependsOn?: string[];
  /** kubernetes provider: overrides of its Deployment and Service defaults (src/providers/kubernetes/). */
  kubernetes?: KubernetesServerOptions;
  /**
   * Which newer versions `mcp-gitops updates` proposes for this server. Not part of what runs:
   * resolution drops it from the desired state, so editing it changes no plan.
   */
  updates?: UpdatePolicySpec;
}
export type ServerResource = Resource<'Server', ServerSpec>;

// ---- Environment ------------------------------------------------------------------------------
export type DriftMode = 'correct' | 'warn' | 'detect';

export interface SyncSpec {
  drift?: DriftMode;
  prune?: boolean;
  maxDeletions?: number;
  /** Stop every apply to the environment; observation and reports go on (`suspend` / `resume`). */
  suspend?: boolean;
  /** Why it is suspended, for people; ignored unless `suspend` is true. */
  suspendReason?: string;
}

/** `rollout:` of a fleet target as written: shares as `"5%"` or a number (a percentage). */
export interface FleetRollout {
  waves?: (string | number)[];
  pauseOnFailure?: boolean;
  minHealthy?: string;
}

/** A target's settings; provider-specific keys are validated by the provider's own schema. */
export interface TargetSpec {
  name: string;
  provider: string;
  /** `local` (default) | `ssh://user@host:port` | `fleet` (every enrolled machine the selector matches) */
  host?: string;
  /** host: fleet: which enrolled machines the target stands for, as matchLabels (src/fleet/bundle/selector.ts). */
  selector?: Record<string, string>;
  /** host: fleet: how a change reaches those machines (src/fleet/bundle/rollout-spec.ts fills the defaults). */
  rollout?: FleetRollout;
  /** client-config: which MCP clients to write. */
  clients?: string[];
  /** client-config: project directory for project-scoped config files. */
  projectDir?: string;
  /** Home directory used to resolve `~` and user-scoped client config paths on this target. */
  home?: string;
  /** process: where packages, env files, pidfiles and logs live. */
  baseDir?: string;
  /** ssh: private key as a secret reference. */
  identityFile?: { ref: SecretRefString };
  /** ssh: a known_hosts file on this machine; the host's key must match it. */
  knownHosts?: string;
  /** ssh: trust and record an unknown host key on first connection (never a changed one). */
  acceptNewHostKey?: boolean;
  /** ssh: one control master for all of a run's commands (default true). */
  multiplex?: boolean;
  /** process: the address servers listen on (default 127.0.0.1). */
  listenHost?: string;
  /** process: auto (default), systemd, start-stop-daemon or pidfile. */
  supervisor?: string;
  /** client-config: write secret values instead of references (file mode 0600). */
  materializeSecrets?: boolean;
  /** container: the Docker Engine API unix socket (`unix:///path` or an absolute path). */
  socket?: string;
  /** container: the host address published ports bind to (default 127.0.0.1). */
  bindAddress?: string;
  /** container: an existing engine network the containers join. */
  network?: string;
  /** Health defaults for every server on this target (over the environment's, under the Server's). */
  health?: HealthDefaults;
  [key: string]: unknown;
}

export interface EnvironmentServer {
  name: string;
  targets?: string[];
  overrides?: Partial<Omit<ServerSpec, 'transport'>> & { transport?: Transport };
}

export interface EnvironmentSpec {
  vars?: Record<string, string>;
  sync?: SyncSpec;
  health?: HealthDefaults;
  targets: TargetSpec[];
  servers: EnvironmentServer[];
}
export type EnvironmentResource = Resource<'Environment', EnvironmentSpec>;

// ---- Policy -----------------------------------------------------------------------------------
export interface PolicySpec {
  severity: 'error' | 'warning';
  message: string;
  match: {
    /** Resource kinds, and `Tool`: each tool of a ToolLock, judged on its own. */
    kinds?: (Kind | 'Tool')[];
    environments?: string[];
    names?: string[];
    labels?: Record<string, string>;
    /** Tools (and ToolLocks) of these servers. */
    servers?: string[];
    /** MCP hints a Tool must have, e.g. `{ destructiveHint: true }`. */
    annotations?: Record<string, unknown>;
  };
  /** A JSON Schema (2020-12) every matched, fully resolved resource must satisfy. */
  assert: Record<string, unknown>;
}
export type PolicyResource = Resource<'Policy', PolicySpec>;

// ---- Hook -------------------------------------------------------------------------------------
export type HookEvent = 'preApply' | 'postApply' | 'drift' | 'failure';

export interface HookSpec {
  events: HookEvent[];
  environments?: string[];
  run: { command: string; args?: string[]; timeoutMs?: number; env?: Record<string, string> };
  onFailure?: 'abort' | 'continue';
}
export type HookResource = Resource<'Hook', HookSpec>;

// ---- ToolLock ---------------------------------------------------------------------------------
/** The reviewed tool surface of one server version (`tool-locks/<server>/<version>.yaml`, src/surface/lock/). */
export interface ToolLockSpec {
  server: string;
  /** The exact pinned package version, or `unversioned` for a command or remote server. */
  version: string;
  surface: ToolSurface;
}
export type ToolLockResource = Resource<'ToolLock', ToolLockSpec>;

export type AnyResource =
  | RepositoryResource
  | ServerResource
  | EnvironmentResource
  | PolicyResource
  | HookResource
  | ToolLockResource;
