/**
 * `serve`'s steady loop against a real HTTP git remote, real client-config targets in temp homes
 * and a real MCP server (server-memory over stdio, behind a wrapper script the test can break):
 * every interval, every target is observed and every server verified, and each environment's
 * `sync.drift` decides: a hand edit in `correct` is repaired, in `warn` it is reported and left;
 * a server that stops answering becomes Degraded in the committed report, `/metrics` and the
 * status page — once, not a commit per pass. A canary secret appears in none of it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { TargetReport } from '../../src/core/report.js';
import { createLogger } from '../../src/log/logger.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { metricsExtension } from '../../src/metrics/metrics-extension.js';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { startRemoteServe } from './start-remote-serve.js';

const CANARY = `steady-canary-${randomBytes(8).toString('hex')}`;
let remote: ConfigRemote;
let serve: RunningServe;
let wrapper: string;
let opsHome: string;
const events: ReconcileEvent[] = [];
let logText = '';

function serveMemory(working: boolean): void {
  fs.writeFileSync(
    wrapper,
    working
      ? `#!/bin/sh\nexec "${process.execPath}" "${serverBin('memory')}"\n`
      : '#!/bin/sh\necho "memory: store is gone" >&2\nexit 7\n',
    { mode: 0o755 },
  );
}

function remoteReport(env: string): TargetReport {
  return JSON.parse(remote.remoteGit('show', `main:reports/${env}/laptop.json`)) as TargetReport;
}

const ready = (env: string) => {
  const c = remoteReport(env).conditions.find((x) => x.type === 'Ready');
  return `${c?.status}:${c?.reason}`;
};

function claudeArgs(home: string): unknown {
  const json = JSON.parse(fs.readFileSync(path.join(home, '.claude.json'), 'utf8')) as {
    mcpServers: Record<string, { args?: unknown }>;
  };
  return json.mcpServers.memory?.args;
}

function editByHand(home: string): void {
  const file = path.join(home, '.claude.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    mcpServers: Record<string, { args?: string[] }>;
  };
  json.mcpServers.memory!.args = ['--edited-by-hand'];
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const passes = () => events.filter((e) => e.trigger === 'interval' && e.environment === 'dev').length;
async function afterPasses(n: number): Promise<void> {
  const target = passes() + n;
  await until(`${n} steady passes`, () => passes() >= target);
}

/** The pass records its metrics right after it pushed the report: poll them, bounded. */
async function metricsShowing(pattern: RegExp): Promise<string> {
  let text = '';
  for (let i = 0; i < 100 && !pattern.test(text); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 100));
    text = await (await fetch(`${serve.url}/metrics`)).text();
  }
  assert.match(text, pattern);
  return text;
}

before(async () => {
  process.env.STEADY_CANARY = CANARY;
  remote = await createConfigRemote();
  wrapper = path.join(remote.base, 'memory.sh');
  opsHome = path.join(remote.base, 'ops-home');
  fs.mkdirSync(opsHome);
  serveMemory(true);
  remote.pusher.write(
    'servers/memory.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: memory }\nspec:\n  command: { path: ${wrapper} }\n  transport: stdio\n  env: { MEMORY_FILE_PATH: ${path.join(remote.base, 'memory.jsonl')} }\n  secrets: [{ name: API_TOKEN, ref: "env:STEADY_CANARY" }]\n  health: { expectTools: [read_graph], timeoutMs: 8000 }\n`,
  );
  remote.pusher.write(
    'environments/ops.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: ops }\nspec:\n  sync: { drift: warn }\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${opsHome}\n  servers:\n    - name: memory\n`,
  );
  await remote.pusher.commitAndPush('memory behind a wrapper; ops warns on drift');
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  serve = await startRemoteServe(remote, {
    webhookSecret: undefined,
    bodyLimit: 1024,
    intervalMs: 1500,
    logger: createLogger({ level: 'debug', destination: sink }),
    extensions: [metricsExtension(createMetrics()), { observer: { reconciled: (e) => events.push(e) } }],
  });
});

after(async () => {
  await serve?.stop();
  await remote?.close();
  delete process.env.STEADY_CANARY;
});

describe('serve: the steady loop', { timeout: 300_000 }, () => {
  test('a hand edit is repaired within an interval where sync.drift is correct, reported where warn', async () => {
    await until('the startup reconcile', () => events.some((e) => e.trigger === 'startup'));
    assert.equal(ready('dev'), 'True:InSync');
    const tags = remote.remoteGit('tag', '-l');
    const desired = claudeArgs(remote.home);
    editByHand(remote.home);
    editByHand(opsHome);
    await until('the repair', () => JSON.stringify(claudeArgs(remote.home)) === JSON.stringify(desired));
    await until('the pass that repaired it to end', () => passes() > 0);
    assert.ok(
      events.some(
        (e) => e.trigger === 'interval' && e.environment === 'dev' && (e.result?.tags.length ?? 0) === 0,
      ),
      'the steady loop repaired it',
    );
    await afterPasses(2);
    assert.deepEqual(claudeArgs(opsHome), ['--edited-by-hand'], 'warn leaves the edit');
    await until('the ops report to say drift', () => ready('ops') === 'False:DriftDetected');
    assert.equal(remote.remoteGit('tag', '-l'), tags, 'repairing drift is not a release');
  });

  test('a server that stops answering is Degraded in the report, /metrics and the status page, once', async () => {
    serveMemory(false);
    await until('Degraded on the remote', () => ready('dev') === 'False:Degraded');
    const entry = remoteReport('dev').inventory.find((e) => e.server === 'memory')!;
    assert.equal(entry.health, 'unhealthy');
    assert.match(entry.healthReason ?? '', /./);
    const metrics = await metricsShowing(
      /mcp_gitops_server_health\{environment="dev",target="laptop",server="memory",state="unhealthy"\} 1/,
    );
    assert.match(
      metrics,
      /mcp_gitops_server_health\{environment="dev",target="laptop",server="memory",state="healthy"\} 0/,
    );
    const page = await (await fetch(`${serve.url}/env/dev`)).text();
    assert.match(
      page,
      /data-testid="health-dev-laptop-memory"><span aria-hidden="true">[^<]*<\/span> unhealthy</,
    );

    const commits = () => Number(remote.remoteGit('rev-list', '--count', 'main'));
    const atDegraded = commits();
    await afterPasses(3);
    assert.ok(commits() <= atDegraded + 1, `still broken, ${commits() - atDegraded} more commits`);

    serveMemory(true);
    await until('healthy again', () => ready('dev') === 'True:InSync');
    const healed = await metricsShowing(/server="memory",state="healthy"\} 1/);
    assert.match(healed, /mcp_gitops_steady_loop_duration_seconds_count [1-9]/);
  });

  test('the canary secret is in no log line, report, metric or page', async () => {
    const reports = remote.remoteGit('log', '-p', 'main');
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    const page = await (await fetch(`${serve.url}/`)).text();
    for (const [what, text] of [
      ['logs', logText],
      ['git history', reports],
      ['metrics', metrics],
      ['status page', page],
    ] as const)
      assert.ok(!text.includes(CANARY), `the canary is in the ${what}`);
  });
});
