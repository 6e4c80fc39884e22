/**
 * A real Prometheus (Debian `prometheus`) scrapes `/metrics` of a real `serve` (metrics
 * extension) after a signed push delivery made it fetch a real HTTP git remote, reconcile
 * (client-config + server-memory) and push the report, and after a delivery it refused.
 * Bounded: Prometheus shows the first sample ~6 s after it starts, even at a 1 s interval.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { metricsExtension } from '../../src/metrics/metrics-extension.js';
import { freePort, stopProcess, waitFor } from '../helpers/mcp-servers.js';
import { requireTools } from '../helpers/require-tools.js';
import { createConfigRemote } from '../remote/config-remote.js';
import { deliverer, pushPayload } from '../serve/github-deliveries.js';
import { startRemoteServe } from '../serve/start-remote-serve.js';
import { panelQueries, readDashboard } from './dashboard-queries.js';

requireTools('prometheus');

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

const SECRET = 'whsec-metrics-3f9a1c';

test("a real Prometheus scrapes serve's /metrics and sees reconciles, servers and deliveries", {
  timeout: 120_000,
}, async (t) => {
  const remote = await createConfigRemote();
  t.after(() => remote.close());
  const metrics = createMetrics();
  const serve = await startRemoteServe(remote, {
    githubRepo: 'Codertocat/Hello-World',
    webhookSecret: SECRET,
    bodyLimit: 64 * 1024,
    reconcileOnStart: false,
    extensions: [metricsExtension(metrics)],
  });
  t.after(() => serve.stop());
  const deliver = deliverer(serve.url, SECRET);
  const config = remote.remoteGit('rev-parse', 'main');
  assert.equal((await deliver({ event: 'push', payload: pushPayload('main', config) })).status, 202);
  assert.equal(
    (await deliver({ event: 'push', payload: pushPayload('main', config), signature: 'bad' })).status,
    401,
  );
  await serve.jobs.coalescer.idle();
  assert.match(remote.remoteGit('log', '-1', '--format=%B', 'main'), /Mcp-Gitops-Report: true/);

  const direct = await fetch(`${serve.url}/metrics`);
  assert.equal(direct.status, 200);
  assert.equal(direct.headers.get('content-type'), metrics.registry.contentType);
  assert.match(await direct.text(), /^mcp_gitops_reconcile_total\{environment="dev",result="success"\} 1$/m);

  const dir = path.join(remote.base, 'prometheus');
  await fs.mkdir(dir);
  const promConfig = path.join(dir, 'prometheus.yml');
  const target = new URL(serve.url).host;
  await fs.writeFile(
    promConfig,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: mcp-gitops\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  const webPort = await freePort();
  const prometheus = spawn(
    'prometheus',
    [
      `--config.file=${promConfig}`,
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
    // Until its TSDB is open, Prometheus answers 503 "Service Unavailable" as text: not yet.
    if (!res || res.status === 503) return undefined;
    return { status: res.status, body: (await res.json()) as QueryAnswer };
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
        instance: target,
        job: 'mcp-gitops',
        value: '1',
      },
    ],
  );
  const deliveries = await query('mcp_gitops_webhook_deliveries_total');
  assert.deepEqual(deliveries?.map((d) => `${d.metric.event}:${d.metric.outcome}=${d.value[1]}`).sort(), [
    'push:accepted=1',
    'push:unauthorized=1',
  ]);
  const up = await query('up{job="mcp-gitops"}');
  assert.equal(up?.[0]?.value[1], '1', 'the scrape itself succeeded');

  // Every query of the Grafana dashboard runs on this Prometheus; the server table shows memory.
  for (const q of panelQueries(readDashboard())) {
    const a = await answer(q.promql);
    assert.equal(a?.body.status, 'success', `${q.panel}: ${q.promql}: ${JSON.stringify(a?.body)}`);
  }
  const table = panelQueries(readDashboard()).find((q) => q.panel === 'Servers: sync and health');
  const rows = await query(table?.promql ?? '');
  assert.deepEqual(
    rows?.map(
      (r) =>
        `${r.metric.environment}/${r.metric.target}/${r.metric.server} ${r.metric.sync} ${r.metric.health}`,
    ),
    ['dev/laptop/memory synced healthy'],
  );
  const since = await query(
    panelQueries(readDashboard()).find((q) => q.panel === 'Time since last successful reconcile')?.promql ??
      '',
  );
  assert.ok(Number(since?.[0]?.value[1]) >= 0, 'a last success is known');
});
