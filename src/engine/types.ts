/** What the engine needs from the outside world (injectable for unit tests) and what a run returns. */
import type { Plan } from '../core/plan.js';
import type { ChangeResult, TargetReport } from '../core/report.js';
import type { TargetSpec } from '../core/resources.js';
import type { DesiredServer, DesiredState, ObservedTarget } from '../core/state.js';
import type { HookResult } from '../hooks/run-hooks.js';
import type { Host } from '../hosts/types.js';
import type { Logger } from '../log/logger.js';
import type { Endpoint, Provider } from '../providers/types.js';
import type { SecretResolver } from '../secrets/types.js';
import type { LockedSurface, ToolsVerdict } from '../surface/tools-mode.js';
import type { VerifyHealth, VerifyOptions, VerifyResult } from '../verify/verify-server.js';
import type { ProgressSink } from './progress-event.js';

/**
 * A verification result plus where the server was reached (URL, or command line for stdio), and
 * how its tool surface compared with the lock under its `health.tools` mode.
 */
export type ServerCheck = VerifyResult & { endpoint?: string; toolsVerdict?: ToolsVerdict };

export interface EngineDeps {
  provider(id: string): Provider;
  createHost(target: TargetSpec): Host;
  /** `onAttempt` hears each failed attempt (the caller knows which server it is, for progress lines). */
  verify(
    endpoint: Endpoint,
    health: VerifyHealth,
    options?: Pick<VerifyOptions, 'onAttempt'>,
  ): Promise<VerifyResult>;
  secrets: SecretResolver;
  /**
   * The approved tool surface of a server at its resolved version in an environment (the config
   * repo's `tool-locks/`), if one exists. Absent: no lock is known, so `pin` fails and the default
   * mode is `ignore`.
   */
  toolLock?(environment: string, server: DesiredServer): LockedSurface | undefined;
  logger: Logger;
  /** Progress for people (a TTY line, plain lines, serve's phase clock, or nothing). */
  progress?: ProgressSink;
}

/** The outcome of one target in a run. */
export interface TargetRun {
  environment: string;
  target: string;
  provider: string;
  host: string;
  observed: ObservedTarget;
  /** One per planned change, in plan order (noops as `unchanged`). */
  results: ChangeResult[];
  /** MCP verification of servers, by server name. */
  verified: Map<string, ServerCheck>;
}

export interface EnvironmentRun {
  environment: string;
  /** Why nothing was applied in this environment (maxDeletions gate, preApply hook abort). */
  gate?: string;
  /** Set when nothing was applied because the environment is suspended (not a failure, no gate). */
  suspended?: string;
  /**
   * Set when nothing was applied because the environment's last attempt at this revision failed
   * and its retry is backing off (the steady loop): not a new failure; its reports are left as the
   * failed attempt wrote them.
   */
  held?: string;
  hooks: HookResult[];
}

export interface RunResult {
  desired: DesiredState;
  plan: Plan;
  targets: TargetRun[];
  environments: EnvironmentRun[];
  dryRun: boolean;
  /** Report files that differ from HEAD. */
  reportsChanged: string[];
  /** The target reports as written (recording runs only): what `status`, metrics and the status page show. */
  reports?: TargetReport[];
  commit?: string;
  tags: string[];
  /** Things people should know that did not stop the run (config warnings, branch mismatch). */
  warnings: string[];
  /** True when any change failed or was rolled back, a target stalled, or a gate stopped an environment. */
  failed: boolean;
}
