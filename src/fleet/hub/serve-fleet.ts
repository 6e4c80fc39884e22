/**
 * The fleet as `serve --fleet` runs it: the hub (routes, state), the rollouts (persisted as the
 * hub's `rollouts` document), the release BundleSource, and the aggregates. Each reconcile of an
 * environment releases its fleet targets at that revision (a new digest starts waves); each
 * accepted report advances or halts the rollouts and, debounced, recomputes the aggregates, which
 * `commitAggregates` records only when they changed. serve supplies that callback (its job queue
 * owns the checkout); without it the hub runs and nothing is committed.
 */
import type { IncomingMessage } from 'node:http';
import { McpGitopsError } from '../../core/errors.js';
import type { DesiredState } from '../../core/state.js';
import type { Logger } from '../../log/logger.js';
import type { FleetCheckinOutcome } from '../../metrics/fleet-metrics.js';
import type { ReconcileEvent, Route, ServeExtension } from '../../serve/types.js';
import type { FleetAggregate } from '../aggregate/aggregate.js';
import { aggregateFleet } from '../aggregate/aggregate.js';
import { Aggregator } from '../aggregate/aggregator.js';
import { bundleTarget } from '../bundle/bundle-target.js';
import { rolloutSpec } from '../bundle/rollout-spec.js';
import { createReleaseBundleSource, type ReleaseBundleSource } from '../bundle-source.js';
import { FLEET_PATHS } from '../protocol.js';
import { Rollouts } from '../rollout/rollouts.js';
import type { FleetRelease } from '../rollout/types.js';
import { createFleetHub, type FleetHub, type FleetRateLimits } from './create-fleet-hub.js';

const ROLLOUTS_DOCUMENT = 'rollouts';

export interface ServeFleetOptions {
  /** serve's `--state-dir`. */
  stateDir: string;
  logger: Logger;
  /** `--fleet-public-host`. */
  publicHost?: string;
  /** `--fleet-stale-after`. */
  staleAfterMs: number;
  clientOf?: (req: IncomingMessage) => string;
  now?: () => number;
  rateLimits?: Partial<FleetRateLimits>;
  /** Record changed aggregates (`environments`: those listed in full). */
  commitAggregates?: (aggregates: FleetAggregate[], environments: string[]) => Promise<void>;
  aggregateDebounceMs?: number;
  /** Every aggregate computation, changed or not (the fleet gauges of /metrics). */
  onComputed?: (aggregates: FleetAggregate[]) => void;
  /** Each bundle pull and report, by how it was answered (the check-in counter of /metrics). */
  onCheckin?: (outcome: FleetCheckinOutcome) => void;
}

export interface ServeFleet {
  extension: ServeExtension;
  hub: FleetHub;
  rollouts: () => Rollouts;
  /** The aggregates as of now. */
  aggregates(): FleetAggregate[];
  /** Wait for a pending aggregate computation and commit. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The fleet targets of `environment` in `desired`, released at `revision` (pure). */
export function fleetReleases(
  desired: DesiredState,
  environment: string,
  revision: string,
  opts: { publicHost?: string; tag?: string } = {},
): { releases: FleetRelease[]; skipped: { target: string; server: string; reason: string }[] } {
  const releases: FleetRelease[] = [];
  const skipped: { target: string; server: string; reason: string }[] = [];
  for (const env of desired.environments) {
    if (env.name !== environment) continue;
    for (const target of env.fleet) {
      const { skipped: left, ...made } = bundleTarget(
        env,
        target,
        opts.publicHost ? { publicHost: opts.publicHost } : {},
      );
      for (const s of left) skipped.push({ target: target.name, ...s });
      const settings = target.settings as { selector?: Record<string, string> };
      releases.push({
        environment: env.name,
        target: target.name,
        revision,
        selector: settings.selector ?? {},
        rollout: rolloutSpec(target.settings as { rollout?: unknown }),
        bundleTarget: opts.tag ? { ...made, release: opts.tag } : made,
        sync: { drift: env.sync.drift, prune: env.sync.prune, suspend: env.sync.suspend },
      });
    }
  }
  return { releases, skipped };
}

export function createServeFleet(options: ServeFleetOptions): ServeFleet {
  const { logger } = options;
  const now = options.now ?? Date.now;
  let rollouts = new Rollouts({ staleAfterMs: options.staleAfterMs });
  let source: ReleaseBundleSource | undefined;
  let aggregator: Aggregator | undefined;
  const hub = createFleetHub({
    stateDir: options.stateDir,
    logger,
    now,
    staleAfterMs: options.staleAfterMs,
    bundleSource: { bundleFor: (m) => source?.bundleFor(m) },
    onReport: () => {
      if (rollouts.onReport(hub.store.all(), now()).length > 0) persist();
      aggregator?.reported();
    },
    ...(options.clientOf ? { clientOf: options.clientOf } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const saved = hub.store.readDocument(ROLLOUTS_DOCUMENT);
  if (saved !== undefined) {
    try {
      rollouts = Rollouts.fromJSON(saved, { staleAfterMs: options.staleAfterMs });
    } catch (err) {
      throw new McpGitopsError(
        'ERR_IO',
        `${hub.store.paths.dir}/rollouts.json is not a fleet rollouts file`,
        {
          hint: 'restore it from a backup, or remove it: every fleet target is then released anew, at once',
          cause: err,
        },
      );
    }
  }
  source = createReleaseBundleSource({
    rollouts,
    hubPrivateKeyPem: hub.store.hubKey().privateKeyPem,
    machines: () => hub.store.all(),
    now,
  });
  const persist = () => hub.store.writeDocument(ROLLOUTS_DOCUMENT, rollouts.toJSON());
  const aggregates = () => aggregateFleet(rollouts, hub.store.all(), now());
  const { commitAggregates } = options;
  if (commitAggregates) {
    aggregator = new Aggregator({
      compute: () => {
        // Time alone can advance a wave: a machine that went stale no longer gates it.
        if (rollouts.onReport(hub.store.all(), now()).length > 0) persist();
        return aggregates();
      },
      commit: (list) =>
        commitAggregates(list, [...new Set(rollouts.currentReleases().map((r) => r.environment))]),
      onError: (err) =>
        logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'fleet aggregates not recorded',
        ),
      ...(options.aggregateDebounceMs !== undefined ? { debounceMs: options.aggregateDebounceMs } : {}),
      ...(options.onComputed ? { onComputed: options.onComputed } : {}),
    });
  }

  const reconciled = (e: ReconcileEvent) => {
    if (!e.result || !e.revision || e.result.dryRun) return;
    const tag = e.result.tags.find((t) => t.startsWith(`${e.environment}/`));
    const { releases, skipped } = fleetReleases(e.result.desired, e.environment, e.revision, {
      ...(options.publicHost ? { publicHost: options.publicHost } : {}),
      ...(tag ? { tag } : {}),
    });
    for (const s of skipped)
      logger.warn({ environment: e.environment, ...s }, 'fleet: a server is left out of the bundle');
    const outcomes = rollouts.release(releases, now(), { environments: [e.environment] });
    const changed = outcomes.filter((o) => o.outcome !== 'unchanged');
    if (changed.length === 0) return;
    persist();
    for (const o of changed) logger.info({ ...o }, 'fleet release');
    aggregator?.reported();
  };

  return {
    extension: {
      routes: (hub.extension.routes ?? []).map((r) => countingCheckins(r, options.onCheckin)),
      observer: { reconciled },
    },
    hub,
    rollouts: () => rollouts,
    aggregates,
    idle: async () => {
      await aggregator?.flush();
    },
    async stop() {
      await aggregator?.close();
      hub.stop();
    },
  };
}

const CHECKIN_PATHS = new Set<string>([FLEET_PATHS.bundle, FLEET_PATHS.report]);

/** A bundle or report route that also tells `onCheckin` how it answered (by its status code). */
function countingCheckins(route: Route, onCheckin: ServeFleetOptions['onCheckin']): Route {
  if (!onCheckin || !CHECKIN_PATHS.has(route.path)) return route;
  return {
    ...route,
    async handle(req, res) {
      try {
        await route.handle(req, res);
      } finally {
        onCheckin(checkinOutcome(res.statusCode));
      }
    },
  };
}

export function checkinOutcome(status: number): FleetCheckinOutcome {
  if (status === 304) return 'not-modified';
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'unauthorized';
  return 'refused';
}
