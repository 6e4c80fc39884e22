/**
 * `serve --updates-interval` through the real CLI against a real npm registry (verdaccio 6.0.5 on
 * loopback) and a real HTTP git remote: a scheduled run finds the update the policy allows, and it
 * appears in /metrics (the real `promtool check metrics` accepts the whole exposition) and in the
 * status page's Updates section; the run logs one line of counts and never the registry token; a
 * restart shows the saved run without asking the registry again; under leader election only the
 * leader runs (the job in process, its gate flipped); a corrupt saved report is
 * ignored with a warning, the page still renders, and the next run replaces it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import { startUpdatesJob, updatesPaths } from '../../src/serve/updates-job.js';
import { LAST_REPORT_FILE } from '../../src/updates/last-report.js';
import { requireTools } from '../helpers/require-tools.js';
import { startVerdaccio, type Verdaccio } from '../helpers/verdaccio.js';
import { promtoolCheckMetrics, seriesOf } from '../metrics/promtool.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { type ServeProcess, sleep, startServeProcess } from './serve-process.js';

requireTools('promtool');

const DEMO = 'mcp-gitops-demo-server';
const DAY = 86_400_000;
let registry: Verdaccio;
let remote: ConfigRemote;
let serve: ServeProcess | undefined;
const saved = { ...process.env };

before(async () => {
  registry = await startVerdaccio();
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  await registry.seed(DEMO, [
    { version: '1.0.0', publishedAt: ago(60) },
    { version: '1.1.0', publishedAt: ago(30) },
    { version: '2.0.0', publishedAt: ago(10) },
  ]);
  remote = await createConfigRemote();
  // A suspended environment runs the npm server: it is checked for updates, never started.
  remote.pusher.write(
    'servers/demo.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: demo\nspec:\n  package:\n    registryType: npm\n    identifier: ${DEMO}\n    version: "1.0.0"\n  transport: stdio\n`,
  );
  remote.pusher.write(
    'environments/staging.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: staging\nspec:\n  sync:\n    suspend: true\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${remote.home}\n  servers:\n    - name: demo\n`,
  );
  await remote.pusher.commitAndPush('demo server pinned at 1.0.0');
  // The user's npm config, as serve's user would have it: the registry and its token.
  const npmrc = path.join(remote.base, 'npmrc');
  fs.writeFileSync(
    npmrc,
    `registry=${registry.url}\n//${new URL(registry.url).host}/:_authToken=${registry.token}\n`,
  );
  process.env.NPM_CONFIG_USERCONFIG = npmrc;
});

after(async () => {
  await serve?.stop();
  process.env = saved;
  await registry?.stop();
  await remote?.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const text = (url: string) => fetch(url, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text());
const pending = (metrics: string) => seriesOf(metrics, 'mcp_gitops_updates_pending');

test('a scheduled run reaches /metrics and the status page; one log line of counts, no token', async () => {
  serve = await startServeProcess(remote, 'updates', {
    args: ['--interval', '0', '--updates-interval', '3s'],
  });
  const metrics = await until('the update in /metrics', async () => {
    const m = await text(`${serve?.url}/metrics`);
    return pending(m).includes('{server=demo} 1') ? m : undefined;
  });
  assert.deepEqual(seriesOf(metrics, 'mcp_gitops_update_proposed_info'), ['{server=demo,version=1.1.0} 1']);
  assert.deepEqual(seriesOf(metrics, 'mcp_gitops_update_check_errors'), ['{server=demo} 0']);
  assert.equal(seriesOf(metrics, 'mcp_gitops_updates_last_check_timestamp_seconds').length, 1);
  const lint = promtoolCheckMetrics(metrics);
  assert.equal(lint.code, 0, lint.output);

  const page = await text(`${serve.url}/`);
  const row = /<tr data-testid="update-demo-staging">.*?<\/tr>/s.exec(page)?.[0] ?? '';
  assert.match(row, /<code>1\.0\.0<\/code>/, page);
  assert.match(row, /<code>1\.1\.0<\/code>/);
  assert.match(row, /1 held.*2\.0\.0/s);

  // A second run on the schedule (never two at once), each one line of counts.
  await until('a second run', async () =>
    (serve?.lines.filter((l) => l.msg === 'updates checked').length ?? 0) >= 2 ? true : undefined,
  );
  const line = serve.lines.find((l) => l.msg === 'updates checked');
  assert.equal(line?.servers, 2, 'demo, and memory (a command: skipped)');
  assert.equal(line?.skipped, 1);
  assert.equal(line?.proposed, 1);
  assert.equal(line?.errors, 0);
  assert.equal(line?.held, 1);
  assert.equal(line?.requests, 1);
  assert.ok(!JSON.stringify(serve.lines).includes(registry.token), 'the registry token in a log line');
  assert.ok(!page.includes(registry.token) && !metrics.includes(registry.token));
  await serve.stop();
  serve = undefined;
});

test('under leader election only the leader runs: a follower never asks, and runs once it leads', async () => {
  const paths = {
    stateDir: path.join(remote.base, 'gate-state'),
    cacheDir: path.join(remote.base, 'gate-cache'),
  };
  let leading = false;
  let asked = 0;
  const job = startUpdatesJob({
    ...paths,
    intervalMs: 1000,
    openPullRequests: false,
    remote: remote.url,
    branch: 'main',
    logger: createLogger({ level: 'silent' }),
    gate: () => {
      asked++;
      return leading;
    },
  });
  try {
    await until('the gate asked twice', async () => (asked >= 2 ? true : undefined), 10_000);
    assert.equal(job.runs, 0);
    assert.ok(!fs.existsSync(path.join(paths.cacheDir, LAST_REPORT_FILE)), 'a follower saved a run');
    assert.ok(!fs.existsSync(paths.stateDir), 'a follower cloned the config');
    leading = true;
    await until('a run as leader', async () => (job.runs >= 1 ? true : undefined));
    const demo = job.last()?.report.servers.find((x) => x.server === 'demo');
    assert.equal(demo?.proposed?.pin, '1.1.0');
    assert.ok(fs.existsSync(path.join(paths.cacheDir, LAST_REPORT_FILE)));
  } finally {
    const t = Date.now();
    await job.stop();
    assert.ok(Date.now() - t < 15_000, 'stop waits for at most the running run');
  }
});

test('a restart shows the saved run at once, without asking the registry; a corrupt one is ignored and replaced', async () => {
  await serve?.stop();
  const { cacheDir } = updatesPaths(path.join(remote.base, 'state-updates'), remote.url);
  const file = path.join(cacheDir, LAST_REPORT_FILE);
  assert.ok(fs.existsSync(file), `the last report at ${file}`);
  // The registry is gone: whatever the restarted serve shows, it read from disk.
  await registry.stop();
  serve = await startServeProcess(remote, 'updates', {
    args: ['--interval', '0', '--updates-interval', '1h'],
  });
  const metrics = await until('the saved run in /metrics', async () => {
    const m = await text(`${serve?.url}/metrics`);
    return pending(m).includes('{server=demo} 1') ? m : undefined;
  });
  assert.equal(promtoolCheckMetrics(metrics).code, 0);
  assert.match(await text(`${serve.url}/`), /data-testid="update-demo-staging">.*1\.1\.0/s);
  await sleep(1000);
  assert.equal(
    serve.lines.filter((l) => l.msg === 'updates checked').length,
    0,
    'no run: the saved one is fresh',
  );
  await serve.stop();

  fs.writeFileSync(
    file,
    '{"savedAt": "2026-12-05T12:00:00Z", "report": {"servers": [{"server": "<img src=x>"',
  );
  serve = await startServeProcess(remote, 'updates', {
    args: ['--interval', '0', '--updates-interval', '1h'],
  });
  const page = await text(`${serve.url}/`);
  assert.match(page, /data-testid="updates-warning"/);
  assert.doesNotMatch(page, /<img/);
  await until('the warning logged', async () =>
    serve?.lines.some((l) => l.msg === 'last updates report ignored') ? true : undefined,
  );
  // The corrupt report is no reason to skip a run: it runs now, against a registry that is down.
  await until('a run that replaces it', async () =>
    serve?.lines.some((l) => l.msg === 'updates checked') ? true : undefined,
  );
  const after = await text(`${serve.url}/`);
  assert.doesNotMatch(after, /data-testid="updates-warning"/);
  assert.match(after, /data-testid="update-demo-staging">.*badge b-error/s);
  const m = await text(`${serve.url}/metrics`);
  assert.deepEqual(seriesOf(m, 'mcp_gitops_update_check_errors'), ['{server=demo} 1']);
  await serve.stop();
  serve = undefined;
});
