/**
 * Metrics recorded from real runs of the engine (real git, in-memory targets): counts by result,
 * server_info per server with sync and health, drift left uncorrected, stale series removed, and
 * the real `promtool check metrics` accepting the output after every step.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { RunResult } from '../../src/engine/types.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { recordRun, recordRunError } from '../../src/metrics/record-run.js';
import { requireTools } from '../helpers/require-tools.js';
import {
  createEngineFixture,
  environmentYaml as environment,
  serverYaml as server,
} from './engine-fixture.js';
import { promtoolCheckMetrics, seriesOf } from './promtool.js';

requireTools('promtool');

const fx = createEngineFixture();
const { repo, provider } = fx;
after(() => repo.cleanup());

const metrics = createMetrics();
let clock = 1_700_000_000_000;

async function runAndRecord(environment?: string): Promise<RunResult> {
  const result = await fx.run(environment);
  clock += 60_000;
  recordRun(metrics, result, { durationSeconds: 0.42, finishedAt: clock }, { environment });
  return result;
}

async function scrape(): Promise<string> {
  const text = await metrics.registry.metrics();
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.code, 0, `promtool check metrics:\n${lint.output}\n${text}`);
  return text;
}

const info = (env: string, t: string, s: string, sync: string, health: string) =>
  `{environment=${env},target=${t},server=${s},sync=${sync},health=${health}} 1`;

describe('recording runs into the metrics registry', () => {
  test('an empty registry already passes promtool (no default Node metrics)', async () => {
    const text = await scrape();
    assert.doesNotMatch(text, /nodejs_|process_/);
    assert.match(text, /# TYPE mcp_gitops_reconcile_total counter/);
  });

  test('a first run: every environment succeeds, every server is synced and healthy', async () => {
    await runAndRecord();
    const text = await scrape();
    assert.deepEqual(seriesOf(text, 'mcp_gitops_reconcile_total'), [
      '{environment=dev,result=success} 1',
      '{environment=prod,result=success} 1',
    ]);
    assert.deepEqual(seriesOf(text, 'mcp_gitops_server_info'), [
      info('dev', 'desk', 'a', 'synced', 'healthy'),
      info('dev', 'desk', 'b', 'synced', 'healthy'),
      info('dev', 'laptop', 'a', 'synced', 'healthy'),
      info('dev', 'laptop', 'b', 'synced', 'healthy'),
      info('prod', 'edge', 'a', 'synced', 'healthy'),
      info('prod', 'edge', 'b', 'synced', 'healthy'),
    ]);
    assert.deepEqual(seriesOf(text, 'mcp_gitops_drift_servers'), [
      '{environment=dev,target=desk} 0',
      '{environment=dev,target=laptop} 0',
      '{environment=prod,target=edge} 0',
    ]);
    assert.deepEqual(seriesOf(text, 'mcp_gitops_last_success_timestamp_seconds'), [
      `{environment=dev} ${clock / 1000}`,
      `{environment=prod} ${clock / 1000}`,
    ]);
    assert.deepEqual(seriesOf(text, 'mcp_gitops_reconcile_duration_seconds_count'), [
      '{environment=dev} 1',
      '{environment=prod} 1',
    ]);
    assert.ok(
      seriesOf(text, 'mcp_gitops_reconcile_duration_seconds_bucket').includes('{le=0.5,environment=dev} 1'),
    );
  });

  test('a rerun with nothing to do is a no-op; unverified servers keep their last known health', async () => {
    await runAndRecord();
    const text = await scrape();
    assert.ok(seriesOf(text, 'mcp_gitops_reconcile_total').includes('{environment=dev,result=no-op} 1'));
    assert.ok(
      seriesOf(text, 'mcp_gitops_server_info').includes(info('dev', 'laptop', 'a', 'synced', 'healthy')),
    );
  });

  test('drift under `detect` is counted and shown, not corrected; under `correct` it is repaired', async () => {
    const edgeA = provider.state('edge').get('a');
    const laptopB = provider.state('laptop').get('b');
    assert.ok(edgeA && laptopB);
    edgeA.actual = { ...edgeA.actual, command: '/tmp/hand-edited' };
    laptopB.actual = { ...laptopB.actual, command: '/tmp/hand-edited' };
    await runAndRecord();
    const text = await scrape();
    const infos = seriesOf(text, 'mcp_gitops_server_info');
    assert.ok(infos.includes(info('prod', 'edge', 'a', 'drifted', 'healthy')), infos.join('\n'));
    assert.ok(infos.includes(info('dev', 'laptop', 'b', 'synced', 'healthy')), infos.join('\n'));
    assert.ok(
      !infos.some((s) => s.includes('target=edge,server=a,sync=synced')),
      'the old sync series is gone',
    );
    const drift = seriesOf(text, 'mcp_gitops_drift_servers');
    assert.ok(drift.includes('{environment=prod,target=edge} 1'));
    assert.ok(drift.includes('{environment=dev,target=laptop} 0'));
    assert.ok(seriesOf(text, 'mcp_gitops_reconcile_total').includes('{environment=dev,result=success} 2'));
  });

  test('a server removed from an environment is an orphan without prune, and gone with prune (there only)', async () => {
    repo.write('environments/dev.yaml', environment('dev', 'correct', ['laptop', 'desk'], ['a']));
    repo.commitAll('dev: drop b');
    await runAndRecord('dev');
    const kept = seriesOf(await scrape(), 'mcp_gitops_server_info');
    assert.ok(kept.includes(info('dev', 'desk', 'b', 'orphan', 'healthy')), kept.join('\n'));
    repo.write('environments/dev.yaml', environment('dev', 'correct', ['laptop', 'desk'], ['a'], true));
    repo.commitAll('dev: prune');
    await runAndRecord('dev');
    const infos = seriesOf(await scrape(), 'mcp_gitops_server_info');
    assert.ok(!infos.some((s) => s.includes('environment=dev') && s.includes('server=b')), infos.join('\n'));
    assert.ok(infos.includes(info('prod', 'edge', 'b', 'synced', 'healthy')), 'prod was not in the run');
  });

  test('a target removed from the repo loses its server_info and drift series', async () => {
    repo.write('environments/dev.yaml', environment('dev', 'correct', ['laptop'], ['a'], true));
    repo.commitAll('dev: drop desk');
    await runAndRecord('dev');
    const text = await scrape();
    assert.ok(!text.includes('target="desk"'), text);
    assert.deepEqual(
      seriesOf(text, 'mcp_gitops_server_info').filter((s) => s.includes('environment=dev')),
      [info('dev', 'laptop', 'a', 'synced', 'healthy')],
    );
  });

  test('an unreachable target is stalled: its servers are shown with unknown sync and health', async () => {
    provider.unreachable.add('edge');
    try {
      await runAndRecord('prod');
    } finally {
      provider.unreachable.delete('edge');
    }
    const text = await scrape();
    assert.ok(seriesOf(text, 'mcp_gitops_reconcile_total').includes('{environment=prod,result=stalled} 1'));
    assert.deepEqual(
      seriesOf(text, 'mcp_gitops_server_info').filter((s) => s.includes('environment=prod')),
      [info('prod', 'edge', 'a', 'unknown', 'unknown'), info('prod', 'edge', 'b', 'unknown', 'unknown')],
    );
    assert.ok(seriesOf(text, 'mcp_gitops_drift_servers').includes('{environment=prod,target=edge} 1'));
  });

  test('a failed apply: result failed, the server is failed, last success does not move', async () => {
    const before = seriesOf(await scrape(), 'mcp_gitops_last_success_timestamp_seconds');
    repo.write(
      'servers/a.yaml',
      server('a').replace('transport: stdio', 'transport: stdio\n  env:\n    X: "1"'),
    );
    repo.commitAll('a: X=1');
    provider.failApply.add('a');
    try {
      await runAndRecord('dev');
    } finally {
      provider.failApply.delete('a');
    }
    const text = await scrape();
    assert.ok(seriesOf(text, 'mcp_gitops_reconcile_total').includes('{environment=dev,result=failed} 1'));
    assert.ok(
      seriesOf(text, 'mcp_gitops_server_info').includes(info('dev', 'laptop', 'a', 'failed', 'healthy')),
    );
    assert.deepEqual(seriesOf(text, 'mcp_gitops_last_success_timestamp_seconds'), before);
  });

  test('an environment gone from an all-environments run is removed; errors and deliveries are counted', async () => {
    repo.git('rm', '-q', 'environments/prod.yaml');
    repo.commitAll('drop prod');
    await runAndRecord();
    recordRunError(metrics, 'dev', { durationSeconds: 0.01, finishedAt: clock });
    metrics.webhookDeliveries.inc({ event: 'push', outcome: 'accepted' });
    metrics.webhookDeliveries.inc({ event: 'push', outcome: 'unauthorized' });
    metrics.webhookDeliveries.inc({ event: 'push', outcome: 'accepted' });
    const text = await scrape();
    assert.ok(
      !/(server_info|drift_servers|last_success_timestamp_seconds)\{[^}]*environment="prod"/.test(text),
      text,
    );
    assert.ok(seriesOf(text, 'mcp_gitops_reconcile_total').includes('{environment=dev,result=error} 1'));
    assert.deepEqual(seriesOf(text, 'mcp_gitops_webhook_deliveries_total'), [
      '{event=push,outcome=accepted} 2',
      '{event=push,outcome=unauthorized} 1',
    ]);
  });
});
