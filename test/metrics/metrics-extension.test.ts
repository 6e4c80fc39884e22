/**
 * The serve extension's observer as serve drives it: one run of every environment reported once
 * per environment (the same result), config load errors, deliveries; an environment removed from
 * the repo loses its gauges.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { RunResult } from '../../src/engine/types.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { metricsExtension } from '../../src/metrics/metrics-extension.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { requireTools } from '../helpers/require-tools.js';
import { createEngineFixture } from './engine-fixture.js';
import { promtoolCheckMetrics, seriesOf } from './promtool.js';

requireTools('promtool');

const fx = createEngineFixture();
after(() => fx.repo.cleanup());

test('serve events: each environment counted once per run, gone environments dropped, errors and deliveries counted', async () => {
  const metrics = createMetrics();
  const { observer } = metricsExtension(metrics);
  assert.ok(observer?.reconciled && observer.delivery);
  const emit = (result: RunResult, envs: string[]) => {
    for (const environment of envs) {
      const event: ReconcileEvent = {
        environment,
        trigger: 'push',
        result,
        durationSeconds: 1.5,
        finishedAt: 1_700_000_000_000,
      };
      observer.reconciled?.(event);
    }
  };

  emit(await fx.run(), ['dev', 'prod']);
  let text = await metrics.registry.metrics();
  assert.deepEqual(seriesOf(text, 'mcp_gitops_reconcile_total'), [
    '{environment=dev,result=success} 1',
    '{environment=prod,result=success} 1',
  ]);
  assert.equal(seriesOf(text, 'mcp_gitops_server_info').length, 6, 'dev: 2 targets × 2, prod: 1 × 2');
  assert.deepEqual(seriesOf(text, 'mcp_gitops_reconcile_duration_seconds_count'), [
    '{environment=dev} 1',
    '{environment=prod} 1',
  ]);

  fx.repo.git('rm', '-q', 'environments/prod.yaml');
  fx.repo.commitAll('drop prod');
  emit(await fx.run(), ['dev']);
  observer.reconciled?.({
    environment: '*',
    trigger: 'poll',
    error: new Error('config invalid'),
    durationSeconds: 0.2,
    finishedAt: 1_700_000_060_000,
  });
  observer.delivery?.('push', 'accepted');
  observer.delivery?.('ping', 'ping');
  observer.delivery?.('push', 'unauthorized');
  text = await metrics.registry.metrics();
  assert.equal(promtoolCheckMetrics(text).code, 0);
  assert.ok(!/(server_info|drift_servers|last_success_timestamp_seconds)\{[^}]*"prod"/.test(text), text);
  assert.equal(seriesOf(text, 'mcp_gitops_server_info').length, 4);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_reconcile_total'), [
    '{environment=*,result=error} 1',
    '{environment=dev,result=no-op} 1',
    '{environment=dev,result=success} 1',
    '{environment=prod,result=success} 1',
  ]);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_webhook_deliveries_total'), [
    '{event=ping,outcome=ping} 1',
    '{event=push,outcome=accepted} 1',
    '{event=push,outcome=unauthorized} 1',
  ]);
});
