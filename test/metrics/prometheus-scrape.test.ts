/**
 * A real Prometheus (Debian `prometheus`) scrapes `/metrics` served by serve's HTTP app with the
 * metrics extension, after a real (in-process) reconcile and a webhook delivery were observed.
 * Bounded: Prometheus shows the first sample ~6 s after it starts, even at a 1 s interval.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { metricsExtension } from '../../src/metrics/metrics-extension.js';
import { createServeApp } from '../../src/serve/create-serve-app.js';
import { freePort, stopProcess, tempDir, waitFor } from '../helpers/mcp-servers.js';
import { panelQueries, readDashboard } from './dashboard-queries.js';
import { createEngineFixture } from './engine-fixture.js';

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

test('a real Prometheus scrapes /metrics and sees the reconcile and delivery series', {
  timeout: 60_000,
}, async (t) => {
  const fx = createEngineFixture();
  t.after(() => fx.repo.cleanup());
  const metrics = createMetrics();
  const extension = metricsExtension(metrics);
  const started = Date.now();
  const result = await fx.run('dev');
  extension.observer?.reconciled?.({
    environment: 'dev',
    trigger: 'push',
    result,
    durationSeconds: (Date.now() - started) / 1000,
    finishedAt: Date.now(),
  });
  extension.observer?.delivery?.('push', 'accepted');

  const app = createServeApp({ routes: extension.routes, logger: createLogger({ level: 'silent' }) });
  const { port } = await app.listen('127.0.0.1', 0);
  t.after(() => app.close());
  const direct = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(direct.status, 200);
  assert.equal(direct.headers.get('content-type'), metrics.registry.contentType);
  assert.match(await direct.text(), /^mcp_gitops_reconcile_total\{environment="dev",result="success"\} 1$/m);

  const dir = await tempDir(t, 'mcp-gitops-prometheus-');
  const config = path.join(dir, 'prometheus.yml');
  await fs.writeFile(
    config,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: mcp-gitops\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`,
  );
  const webPort = await freePort();
  const prometheus = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${webPort}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  prometheus.stderr.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-8000);
  });
  const pid = prometheus.pid;
  assert.ok(pid, 'prometheus started');
  t.after(() => stopProcess(pid, 5000));

  const answer = async (q: string) => {
    const url = `http://127.0.0.1:${webPort}/api/v1/query?query=${encodeURIComponent(q)}`;
    const res = await fetch(url).catch(() => undefined);
    return res ? { status: res.status, body: (await res.json()) as QueryAnswer } : undefined;
  };
  const query = async (q: string) => {
    const a = await answer(q);
    return a?.body.status === 'success' && a.body.data.result.length > 0 ? a.body.data.result : undefined;
  };
  const series = await waitFor(() => query('mcp_gitops_reconcile_total'), {
    timeoutMs: 40_000,
    intervalMs: 500,
    what: 'Prometheus to scrape mcp_gitops_reconcile_total',
  }).catch((err: Error) => assert.fail(`${err.message}\n${log}`));

  assert.deepEqual(
    series.map((s) => ({ ...s.metric, value: s.value[1] })),
    [
      {
        __name__: 'mcp_gitops_reconcile_total',
        environment: 'dev',
        result: 'success',
        instance: `127.0.0.1:${port}`,
        job: 'mcp-gitops',
        value: '1',
      },
    ],
  );
  const deliveries = await query('mcp_gitops_webhook_deliveries_total{outcome="accepted"}');
  assert.equal(deliveries?.[0]?.value[1], '1');
  const healthy = await query('count(mcp_gitops_server_info{health="healthy",sync="synced"})');
  assert.equal(healthy?.[0]?.value[1], '4', 'dev: laptop and desk, a and b');
  const up = await query('up{job="mcp-gitops"}');
  assert.equal(up?.[0]?.value[1], '1', 'the scrape itself succeeded');

  // Every query of the Grafana dashboard runs on this Prometheus; the server table lists dev's servers.
  for (const q of panelQueries(readDashboard())) {
    const a = await answer(q.promql);
    assert.equal(a?.body.status, 'success', `${q.panel}: ${q.promql}: ${JSON.stringify(a?.body)}`);
  }
  const table = panelQueries(readDashboard()).find((q) => q.panel === 'Servers: sync and health');
  const rows = await query(table?.promql ?? '');
  assert.deepEqual(
    rows?.map((r) => `${r.metric.target}/${r.metric.server} ${r.metric.sync} ${r.metric.health}`).sort(),
    ['desk/a synced healthy', 'desk/b synced healthy', 'laptop/a synced healthy', 'laptop/b synced healthy'],
  );
});
