// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Grafana's import input is the literal ${DS_PROMETHEUS}
/**
 * The Grafana dashboard: importable with a Prometheus datasource input, every query parses
 * (real `promtool check rules`) and reads only metrics our registry defines, and every metric has
 * a panel. The Prometheus scrape test also runs these queries against a real server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { HISTOGRAM_NAMES, METRIC_NAMES } from '../../src/metrics/create-metrics.js';
import { tempDir } from '../helpers/mcp-servers.js';
import { requireTools } from '../helpers/require-tools.js';
import { metricNames, panelQueries, readDashboard } from './dashboard-queries.js';

requireTools('promtool');

const dashboard = readDashboard();
const histograms: readonly string[] = HISTOGRAM_NAMES;
const known = new Set<string>([
  ...METRIC_NAMES.filter((n) => !histograms.includes(n)),
  ...histograms.flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]),
]);
const histogramOf = (series: string) => histograms.find((h) => series.startsWith(h)) ?? series;

test('the name extraction sees metric names and nothing else', () => {
  assert.deepEqual(
    metricNames(
      'histogram_quantile(0.9, sum by (le, job) (rate(foo_bucket{a="b",c=~"$x"}[$__rate_interval]))) or vector(0)',
    ),
    ['foo_bucket'],
  );
  assert.deepEqual(metricNames('time() - max by (env) (a_seconds) / on (env) group_left b'), [
    'a_seconds',
    'b',
  ]);
});

test('the dashboard takes its Prometheus datasource as an import input, used by every panel', () => {
  assert.deepEqual(
    dashboard.__inputs.map((i) => [i.name, i.type, i.pluginId]),
    [['DS_PROMETHEUS', 'datasource', 'prometheus']],
  );
  assert.ok(dashboard.panels.length >= 6);
  for (const p of dashboard.panels) {
    assert.equal(p.datasource?.uid, '${DS_PROMETHEUS}', p.title);
    assert.ok((p.targets ?? []).length > 0, `${p.title} has a query`);
    for (const t of p.targets ?? []) assert.equal(t.datasource?.uid, '${DS_PROMETHEUS}', p.title);
  }
});

test('every query reads only metrics the registry defines, and every metric is on the dashboard', () => {
  const used = new Set<string>();
  for (const q of panelQueries(dashboard)) {
    const names = metricNames(q.expr);
    assert.ok(names.length > 0, `${q.panel}: no metric in ${q.expr}`);
    for (const n of names) {
      assert.ok(known.has(n), `${q.panel}: ${n} is not a metric of the registry`);
      used.add(histogramOf(n));
    }
  }
  for (const v of dashboard.templating.list) {
    const query = typeof v.query === 'string' ? v.query : v.query.query;
    const m = /^label_values\((\w+),\s*(\w+)\)$/.exec(query);
    assert.ok(m && known.has(m[1] as string), `variable ${v.name}: ${query}`);
  }
  assert.deepEqual([...used].sort(), [...METRIC_NAMES].sort());
});

test('promtool parses every query (as recording rules)', async (t) => {
  const dir = await tempDir(t, 'mcp-gitops-dashboard-');
  const file = path.join(dir, 'rules.yml');
  const rules = panelQueries(dashboard).map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.promql }));
  // JSON is YAML: no quoting to get wrong.
  await fs.writeFile(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }, null, 2));
  const res = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(res.status, 0, `${res.stdout}${res.stderr}`);
  assert.match(res.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
});
