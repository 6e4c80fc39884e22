/**
 * Metrics as a `serve` extension: `GET /metrics`, plus an observer that counts webhook deliveries
 * and records every reconcile `serve` runs (one environment per run).
 */
import type { ReconcileEvent, ServeExtension } from '../serve/types.js';
import type { GitopsMetrics } from './create-metrics.js';
import { metricsHandler } from './metrics-route.js';
import { recordRun, recordRunError } from './record-run.js';

export function metricsExtension(metrics: GitopsMetrics): ServeExtension {
  return {
    routes: [{ method: 'GET', path: '/metrics', handle: metricsHandler(metrics.registry) }],
    observer: {
      delivery(event, outcome) {
        metrics.webhookDeliveries.inc({ event, outcome });
      },
      reconciled(event: ReconcileEvent) {
        const timing = { durationSeconds: event.durationSeconds, finishedAt: event.finishedAt };
        if (event.result) recordRun(metrics, event.result, timing, { environment: event.environment });
        else recordRunError(metrics, event.environment, timing);
      },
    },
  };
}
