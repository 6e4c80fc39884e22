/**
 * The fleet hub of `serve --fleet` (src/fleet/hub/), wired to serve: its clients' addresses read
 * through the trusted proxies, its aggregates committed through serve's job queue, its check-ins
 * and aggregates counted on /metrics. Split from start-serve.ts.
 */
import { recordAggregatesIn } from '../fleet/hub/record-aggregates.js';
import { createServeFleet, type ServeFleet } from '../fleet/hub/serve-fleet.js';
import { countCheckin, recordFleet } from '../metrics/fleet-metrics.js';
import type { RemoteConfigRepo } from '../remote/remote-config-repo.js';
import { clientAddress, type parseTrustedProxies } from './client-address.js';
import type { ServeJobs } from './serve-jobs.js';
import type { ServeOptions } from './start-serve.js';

/** The fleet hub of `serve --fleet`, its aggregates committed through the job queue. */
export function startFleet(
  options: ServeOptions,
  settings: NonNullable<ServeOptions['fleet']>,
  repo: RemoteConfigRepo,
  jobs: () => ServeJobs,
  trusted: ReturnType<typeof parseTrustedProxies> | undefined,
): ServeFleet {
  const { metrics } = settings;
  return createServeFleet({
    stateDir: options.stateDir,
    logger: options.logger,
    staleAfterMs: settings.staleAfterMs,
    ...(settings.publicHost ? { publicHost: settings.publicHost } : {}),
    ...(settings.aggregateDebounceMs !== undefined
      ? { aggregateDebounceMs: settings.aggregateDebounceMs }
      : {}),
    clientOf: (req) => clientAddress(req, trusted),
    commitAggregates: recordAggregatesIn(jobs, repo, options.logger),
    ...(metrics
      ? {
          onComputed: (aggregates) => recordFleet(metrics, aggregates),
          onCheckin: (outcome) => countCheckin(metrics, outcome),
        }
      : {}),
  });
}
