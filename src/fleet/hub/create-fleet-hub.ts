/**
 * The fleet hub (DESIGN.md §4 "Fleet hosts", §7): the four agent routes as a ServeExtension for
 * `serve --fleet`, over the state in `<state-dir>/fleet/`. Which bundle a machine gets is the
 * BundleSource's business (the rollout's); what a machine reported goes to `onReport`.
 */
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import type { Logger } from '../../log/logger.js';
import { sourceKey } from '../../serve/client-address.js';
import { DEFAULT_LIMITS } from '../../serve/limits.js';
import { RateLimiter } from '../../serve/rate-limiter.js';
import type { ServeExtension } from '../../serve/types.js';
import { FLEET_CLOCK_SKEW_MS } from '../protocol.js';
import { DEFAULT_STALE_AFTER_MS, isStale } from '../rollout/fleet-machines.js';
import type { MachineRecord } from '../rollout/types.js';
import { bundleRoute } from './bundle-route.js';
import { enrollRoute } from './enroll-route.js';
import type { BundleSource, HubContext } from './hub-context.js';
import { HubStore } from './hub-store.js';
import { NonceCache } from './nonce-cache.js';
import { reportRoute } from './report-route.js';
import { rotateRoute } from './rotate-route.js';
import { compileWireValidators } from './wire-schemas.js';

export type { BundleSource } from './hub-context.js';

/** Requests per second and burst, per client address and per machine. */
export interface FleetRateLimits {
  /** Many laptops can share one office address: generous. */
  addressPerSecond: number;
  addressBurst: number;
  /**
   * An agent makes two or three requests per pass (every 5 minutes by default; tests and eager
   * users run passes every few seconds): 1 per second sustained is far above that and still caps
   * what one runaway or stolen machine key can cost.
   */
  machinePerSecond: number;
  machineBurst: number;
  /** Addresses and machines each limiter remembers. */
  sources: number;
}

export const DEFAULT_FLEET_RATE_LIMITS: Readonly<FleetRateLimits> = {
  addressPerSecond: 50,
  addressBurst: 500,
  machinePerSecond: 1,
  machineBurst: 30,
  sources: 100_000,
};

export interface FleetHubOptions {
  /** serve's `--state-dir`; the hub keeps its files in `<stateDir>/fleet/`. */
  stateDir: string;
  logger: Logger;
  /** ms since epoch (tests move it). */
  now?: () => number;
  /** A machine not seen for this long is stale (`--fleet-stale-after`). */
  staleAfterMs?: number;
  bundleSource: BundleSource;
  /** Called with the updated record after each accepted report; must not throw (a throw is logged). */
  onReport?: (machine: MachineRecord) => void;
  /** The client's address (serve's: the socket peer, or what a trusted proxy says). */
  clientOf?: (req: IncomingMessage) => string;
  rateLimits?: Partial<FleetRateLimits>;
  bodyIdleMs?: number;
  bodyDeadlineMs?: number;
  /** Longest wait before a check-in is written to `machines.json` (default 2 s). */
  flushEveryMs?: number;
}

export interface FleetHub {
  extension: ServeExtension;
  store: HubStore;
  staleAfterMs: number;
  /** Whether a machine has not been seen for `staleAfterMs`. */
  isStale(machine: MachineRecord): boolean;
  /** Write pending check-ins. */
  stop(): void;
}

/** `<stateDir>/fleet`. */
export function fleetDirOf(stateDir: string): string {
  return path.join(stateDir, 'fleet');
}

export function createFleetHub(options: FleetHubOptions): FleetHub {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const store = new HubStore({
    dir: fleetDirOf(options.stateDir),
    now,
    ...(options.flushEveryMs !== undefined ? { flushEveryMs: options.flushEveryMs } : {}),
    onFlushError: (err) =>
      logger.error(
        { err: err instanceof Error ? err.message : String(err) },
        'fleet machines.json write failed',
      ),
  });
  store.hubKey();
  const rates = { ...DEFAULT_FLEET_RATE_LIMITS, ...options.rateLimits };
  const ctx: HubContext = {
    store,
    nonces: new NonceCache(FLEET_CLOCK_SKEW_MS),
    now,
    bodyIdleMs: options.bodyIdleMs ?? DEFAULT_LIMITS.bodyIdleTimeoutMs,
    bodyDeadlineMs: options.bodyDeadlineMs ?? DEFAULT_LIMITS.bodyTimeoutMs,
    logger,
    validators: compileWireValidators(),
    bundleSource: options.bundleSource,
    onReport: options.onReport ?? (() => {}),
    clientOf: (req) => sourceKey(options.clientOf?.(req) ?? req.socket.remoteAddress ?? ''),
    addressLimiter: new RateLimiter({
      perSecond: rates.addressPerSecond,
      burst: rates.addressBurst,
      maxSources: rates.sources,
    }),
    machineLimiter: new RateLimiter({
      perSecond: rates.machinePerSecond,
      burst: rates.machineBurst,
      maxSources: rates.sources,
    }),
    given: new Map(),
  };
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  return {
    extension: { routes: [enrollRoute(ctx), bundleRoute(ctx), reportRoute(ctx), rotateRoute(ctx)] },
    store,
    staleAfterMs,
    isStale: (m) => isStale(m, now(), staleAfterMs),
    stop: () => store.stop(),
  };
}
