/**
 * A provider turns desired servers into reality on one kind of target (DESIGN.md §4).
 * Providers live in `src/providers/<id>/` and are registered by id in `registry.ts`.
 * `observe` and `apply` are the only methods that touch a target; everything else is pure.
 */
import type { Change } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import type { ServerSpec, TargetSpec } from '../core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget, ObservedTarget } from '../core/state.js';
import type { Host } from '../hosts/types.js';
import type { Logger } from '../log/logger.js';
import type { SecretResolver } from '../secrets/types.js';

/** How the reconciler reaches a server to verify it by speaking MCP. */
export type Endpoint =
  | {
      kind: 'stdio';
      command: string;
      args: string[];
      env: Record<string, string>;
      cwd?: string;
      /** What reports show as the endpoint instead of the command line (e.g. `ssh://host: cmd`). */
      display?: string;
    }
  | {
      kind: 'http';
      url: string;
      headers?: Record<string, string>;
      /** Which HTTP transport the server speaks; default `streamable-http`. */
      transport?: 'streamable-http' | 'sse';
      /**
       * What reports show as the endpoint instead of `url`, when `url` is not stable across runs
       * (e.g. a local port forwarded over ssh: `http://127.0.0.1:8080/mcp on ssh://host (through ssh)`).
       */
      display?: string;
      /**
       * For servers a provider runs: why the process behind the URL is gone (e.g. its exit and
       * last log lines), or undefined while it runs or is not known yet. Lets verification stop
       * retrying a refused connection at once when nothing is left to wait for.
       */
      exited?: () => Promise<string | undefined>;
      /**
       * For servers a provider runs: why what answered on the URL is not the process it started
       * (e.g. "port 38201 is in use by another process (pid 812, node)"), or undefined when it is
       * or cannot be told. Asked after a successful handshake: a reason makes the result unhealthy.
       */
      notOurs?: () => Promise<string | undefined>;
    };

export interface ProviderContext {
  host: Host;
  environment: DesiredEnvironment;
  target: DesiredTarget;
  secrets: SecretResolver;
  logger: Logger;
  /** Registers a resolved secret value so every later log line / report / output redacts it. */
  redact(value: string): void;
  /**
   * Progress for people about one server's change (installs, pulls): the line names the
   * environment, target and server. `ongoing` marks a step that goes on after the line.
   */
  progress?(server: string, text: string, ongoing?: string): void;
}

/** Changes of one target applied together; until `commit` returns, the target is the batch's. */
export interface ApplyBatch {
  /** Make one change, as `Provider.apply` would; its result holds unless `commit` says otherwise. */
  apply(change: Change): Promise<ChangeResult>;
  /**
   * Optional: how many creates `apply` may be making at once (its result then comes when the
   * change is made, as without a batch). The engine hands a create over without waiting for the
   * changes before it, except those it depends on; an update or delete (they stop a server, and
   * may free what a later change takes) waits for everything before it and runs alone.
   */
  readonly inFlight?: number;
  /**
   * Make the batch's changes real, once. Returns, by server, why a change that `apply` accepted
   * failed after all (e.g. its file could not be written). Never throws.
   */
  commit(): Promise<Map<string, string>>;
}

export interface Provider {
  readonly id: string;
  readonly description: string;
  /**
   * The provider only registers servers that something else runs (MCP client configs): an HTTP
   * entry it writes points at a server another target of the environment starts. Its targets are
   * verified after the environment's other targets that apply the same servers, not before them.
   */
  readonly registersOnly?: boolean;
  /** Pure: extra validation of a target's settings, as messages for `targets[i]` of the environment. */
  validateTarget(target: TargetSpec): string[];
  /** Pure: can this provider run / register this server on that target? */
  supports(server: ServerSpec, target: TargetSpec): boolean;
  /**
   * Pure: the comparable form of a desired server on this target (what `observe` reports as
   * `actual` when the target is in sync). Planning diffs `render(desired)` against `actual`.
   */
  render(
    server: DesiredServer,
    target: DesiredTarget,
    environment: DesiredEnvironment,
  ): Record<string, unknown>;
  observe(ctx: ProviderContext): Promise<ObservedTarget>;
  /** Apply one change. Must not throw for a failure of that change: return outcome `failed`. */
  apply(ctx: ProviderContext, change: Change): Promise<ChangeResult>;
  /**
   * Optional: apply the changes of one target's run together (one read and one write per file,
   * whatever the number of changes). The engine then calls the batch's `apply` for each change in
   * plan order and `commit` once at the end; providers without it get `apply` per change.
   */
  openBatch?(ctx: ProviderContext): Promise<ApplyBatch>;
  /** Where to speak MCP to the server after apply, or undefined if it cannot be verified from here. */
  endpoint(ctx: ProviderContext, server: DesiredServer): Promise<Endpoint | undefined>;
}
