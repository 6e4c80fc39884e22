/**
 * Metrics as a `serve` extension: `GET /metrics`, plus an observer that counts webhook deliveries
 * and records every reconcile `serve` runs. Serve reports a run once per environment (the same
 * result each time), so each event records its own environment only; the desired state a run
 * loaded names every environment serve handles, and the gauges of any other are dropped.
 */
import type { ReconcileEvent, ServeExtension } from '../serve/types.js';
import type { GitopsMetrics } from './create-metrics.js';
import { metricsHandler } from './metrics-route.js';
import { forgetEnvironments, recordRun, recordRunError } from './record-run.js';

export function metricsExtension(metrics: GitopsMetrics): ServeExtension {
  return {
    routes: [{ method: 'GET', path: '/metrics', handle: metricsHandler(metrics.registry) }],
    observer: {
      delivery(event, outcome) {
        metrics.webhookDeliveries.inc({ event, outcome });
      },
      reconciled(event: ReconcileEvent) {
        const timing = { durationSeconds: event.durationSeconds, finishedAt: event.finishedAt };
        if (!event.result) {
          recordRunError(metrics, event.environment, timing);
          return;
        }
        recordRun(metrics, event.result, timing, { environment: event.environment });
        // Serve reports a run once per environment: the steady loop's pass is timed once.
        if ((event.trigger === 'interval' || event.trigger === 'event') && isFirstOf(event))
          metrics.steadyLoopDuration.observe(event.durationSeconds);
        forgetEnvironments(
          metrics,
          event.result.desired.environments.map((e) => e.name),
        );
      },
    },
  };
}

/** The first environment of the run's desired state (serve emits one event per environment). */
function isFirstOf(event: ReconcileEvent): boolean {
  const first = event.result?.desired.environments.map((e) => e.name).sort()[0];
  return first === undefined || first === event.environment;
}
