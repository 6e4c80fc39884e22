/**
 * The extension points of `serve`: an HTTP route list and an observer of what the server does.
 * Other parts (metrics: `/metrics`, a richer status page) plug in here without `serve` knowing them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunResult } from '../engine/types.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One HTTP endpoint. `path` matches the request path exactly (no query string, no patterns), or as a prefix. */
export interface Route {
  method: HttpMethod;
  path: string;
  /** `path` ends in `/` and matches every request path under it (the longest such prefix wins). */
  prefix?: boolean;
  /** Answer the request. A throw is logged and answered 500 (if nothing was sent yet). */
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** How a webhook delivery was answered (the `outcome` label of a deliveries counter). */
export type DeliveryOutcome =
  /** Verified and acted upon (a reconcile or a plan was scheduled). */
  | 'accepted'
  /** `ping` answered. */
  | 'ping'
  /** Verified, but for another repository/branch, an action we do not handle, or our own commit. */
  | 'ignored'
  /** A delivery id seen before. */
  | 'duplicate'
  /** The body was read and its signature is wrong: 401, nothing ran. */
  | 'unauthorized'
  /**
   * Refused on its headers alone, the body unread: no secret configured or `X-Hub-Signature-256`
   * missing or malformed (401); GitHub headers missing, not JSON, a bad `Content-Length` (400).
   */
  | 'refused-early'
  /** Body over the size cap, declared (unread) or found while reading: 413. */
  | 'too-large'
  /** Too many bodies or bytes already in flight: 503 with `Retry-After`, the body unread. */
  | 'too-many'
  /** The client's address is over its rate: 429 with `Retry-After`, the body unread. */
  | 'rate-limited'
  /** The body stalled or trickled past its deadline: 408, connection closed. */
  | 'timed-out'
  /** The client went away while its body was being read: nothing to answer. */
  | 'aborted'
  /** Verified, but not JSON or not the payload its event promises: 400. */
  | 'bad-request'
  /**
   * `serve --leader-elect`, on a follower: verified and handed to the leader (a push recorded on
   * the Lease, a pull request forwarded to the leader's advertised URL): 202.
   */
  | 'handed-over'
  /** On a follower: verified, but the leader could not be told (API server or leader unreachable): 503. */
  | 'unavailable';

/**
 * What started a reconcile: the first one at start, a push delivery, a poll that found a new
 * commit, the steady loop's interval (every target observed, every server verified), or an event
 * such as a served container's death (the same, at once).
 */
export type TriggerSource = 'startup' | 'push' | 'poll' | 'interval' | 'event';

export interface ReconcileEvent {
  /** The environment; `*` when the config could not be loaded (then `error` is set). */
  environment: string;
  trigger: TriggerSource;
  /** The config commit that was reconciled. */
  revision?: string;
  /** Present when the run completed (possibly with failed changes: see `result.failed`). */
  result?: RunResult;
  /** Present when the run threw (invalid config, git failure, lock timeout...). */
  error?: unknown;
  /** Wall time of the run in seconds (reconcile + push). */
  durationSeconds: number;
  /** Time the run finished, ms since epoch. */
  finishedAt: number;
  /** Where the time went, in order (fetch, load, lock+reload (the engine loads the config again), observe+plan, apply, verify, report, push). */
  phases?: { name: string; ms: number }[];
}

/** Callbacks `serve` makes as things happen. All optional; they must not throw (errors are logged). */
export interface ServeObserver {
  delivery?(event: string, outcome: DeliveryOutcome): void;
  reconciled?(event: ReconcileEvent): void;
}

/**
 * A plug-in for `serve`: extra routes and/or an observer. The metrics side provides
 * `createMetricsExtension(): ServeExtension` in `src/metrics/serve-extension.ts` (route
 * `GET /metrics` + an observer feeding its registry); `serve` passes every extension's routes to
 * `createServeApp` and calls every observer.
 */
export interface ServeExtension {
  routes?: Route[];
  observer?: ServeObserver;
}
