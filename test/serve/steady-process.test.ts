/**
 * The steady loop and `process` targets, through `serve` on a real HTTP git remote: two
 * environments each run a small MCP server over streamable HTTP (the SDK's, a `command:` server)
 * under the real launcher. Killing a supervised server (its launcher, what the pidfile names) is
 * drift: with `sync.drift: correct` the next pass starts it again and it answers MCP; with `warn`
 * it is reported Degraded — report, /metrics, status page — and left down.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TargetReport } from '../../src/core/report.js';
import { stopServers } from '../../src/engine/stop-servers.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { metricsExtension } from '../../src/metrics/metrics-extension.js';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { verifyServer } from '../../src/verify/verify-server.js';
import { freePort, isProcessAlive, waitFor } from '../helpers/mcp-servers.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { startRemoteServe } from './start-remote-serve.js';

const TINY = fileURLToPath(new URL('../../bench/fixtures/tiny-mcp-server.mjs', import.meta.url));
let remote: ConfigRemote;
let serve: RunningServe;
const ports: Record<string, number> = {};
const events: ReconcileEvent[] = [];

const baseDir = (env: string) => path.join(remote.base, `procs-${env}`);
const pidOf = (env: string) =>
  Number(fs.readFileSync(path.join(baseDir(env), 'servers', env, 'tiny', 'pid'), 'utf8').trim());
const answers = async (env: string) =>
  (
    await verifyServer(
      { kind: 'http', url: `http://127.0.0.1:${ports[env]}/mcp` },
      { expectTools: ['ping'], timeoutMs: 2000 },
    )
  ).health === 'healthy';
const report = (env: string) =>
  JSON.parse(remote.remoteGit('show', `main:reports/${env}/vm.json`)) as TargetReport;
const ready = (env: string) => {
  const c = report(env).conditions.find((x) => x.type === 'Ready');
  return `${c?.status}:${c?.reason}`;
};

before(async () => {
  remote = await createConfigRemote();
  for (const env of ['pdev', 'pops']) ports[env] = await freePort();
  remote.pusher.write(
    'servers/tiny.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: tiny }\nspec:\n  command: { path: ${process.execPath}, args: [${TINY}, http] }\n  transport: streamable-http\n  port: 40000\n  path: /mcp\n  env: { PORT: "{{server.port}}" }\n  health: { expectTools: [ping], timeoutMs: 15000 }\n`,
  );
  for (const [env, drift] of [
    ['pdev', 'correct'],
    ['pops', 'warn'],
  ] as const)
    remote.pusher.write(
      `environments/${env}.yaml`,
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: ${env} }\nspec:\n  sync: { drift: ${drift} }\n  targets:\n    - name: vm\n      provider: process\n      baseDir: ${baseDir(env)}\n  servers:\n    - name: tiny\n      overrides: { port: ${ports[env]} }\n`,
    );
  await remote.pusher.commitAndPush('process targets');
  serve = await startRemoteServe(remote, {
    webhookSecret: undefined,
    bodyLimit: 1024,
    intervalMs: 1500,
    extensions: [metricsExtension(createMetrics()), { observer: { reconciled: (e) => events.push(e) } }],
  });
});

after(async () => {
  await serve?.stop();
  if (remote) {
    for (const env of ['pdev', 'pops'])
      await stopServers({ repoDir: serve.repo.dir, environment: env }).catch(() => undefined);
    await remote.close();
  }
});

describe('serve: the steady loop on process targets', { timeout: 300_000 }, () => {
  test('a killed server is started again (correct) or reported Degraded and left (warn)', async () => {
    await waitFor(() => events.some((e) => e.trigger === 'startup'), { timeoutMs: 120_000, what: 'startup' });
    assert.ok(await answers('pdev'));
    assert.ok(await answers('pops'));
    const killed = { pdev: pidOf('pdev'), pops: pidOf('pops') };
    for (const pid of Object.values(killed)) process.kill(pid, 'SIGKILL');
    await waitFor(() => !isProcessAlive(killed.pdev) && !isProcessAlive(killed.pops), {
      timeoutMs: 10_000,
      what: 'the launchers to die',
    });

    await waitFor(async () => (await answers('pdev')) && pidOf('pdev') !== killed.pdev, {
      timeoutMs: 60_000,
      what: 'pdev served again',
    });
    await waitFor(() => ready('pops') === 'False:DriftDetected' || ready('pops') === 'False:Degraded', {
      timeoutMs: 60_000,
      what: 'pops reported',
    });
    const entry = report('pops').inventory.find((e) => e.server === 'tiny')!;
    assert.equal(entry.health, 'unhealthy');
    assert.match(entry.healthReason ?? '', /not running/);
    assert.equal(await answers('pops'), false, 'warn leaves it down');
    assert.equal(pidOf('pops'), killed.pops);

    let metrics = '';
    await waitFor(
      async () => {
        metrics = await (await fetch(`${serve.url}/metrics`)).text();
        return /environment="pops",target="vm",server="tiny",state="unhealthy"\} 1/.test(metrics);
      },
      { timeoutMs: 30_000, what: '/metrics to say unhealthy' },
    );
    assert.match(metrics, /environment="pdev",target="vm",server="tiny",state="healthy"\} 1/);
    const page = await (await fetch(`${serve.url}/env/pops`)).text();
    assert.match(page, /data-testid="health-pops-vm-tiny"><span aria-hidden="true">[^<]*<\/span> unhealthy</);
  });
});
