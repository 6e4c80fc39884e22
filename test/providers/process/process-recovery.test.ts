/**
 * Crash restarts where the supervisor cannot (real start-stop-daemon, real server-everything):
 * a killed server is restarted by its launcher and answers MCP again, with the restart counted in
 * `observe`; a killed launcher is reported with why, and its server does not linger; a server that
 * keeps dying is a crash loop, reported as one with its last log lines (secrets redacted), and
 * verification gives up at once with that reason.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ObservedServer } from '../../../src/core/state.js';
import { processProvider } from '../../../src/providers/process/index.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { freePort, isProcessAlive, serverVersion, tempDir, waitFor } from '../../helpers/mcp-servers.js';
import { requireTools } from '../../helpers/require-tools.js';
import {
  change,
  childPidOf,
  desiredServer,
  killServer,
  launcherState,
  pidOf,
  processContext,
} from './fixtures.js';

requireTools('start-stop-daemon');

describe('process provider: the launcher restarts what dies (start-stop-daemon)', () => {
  const cleanups: (() => unknown)[] = [];
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  let home: string;
  let baseDir: string;
  let port: number;

  before(async () => {
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    baseDir = join(home, 'mcp');
    port = await freePort();
  });
  after(async () => {
    for (const server of ['everything', 'flaky']) killServer(baseDir, server);
    for (const fn of cleanups.reverse()) await fn();
  });

  const everything = () =>
    desiredServer('everything', {
      package: {
        registryType: 'npm',
        identifier: '@modelcontextprotocol/server-everything',
        version: serverVersion('everything'),
        packageArguments: ['streamableHttp'],
      },
      transport: 'streamable-http',
      port,
      path: '/mcp',
      env: { PORT: String(port) },
      health: { expectTools: ['echo'] },
    });
  const ctxFor = (): ProviderContext =>
    processContext({
      home,
      settings: { baseDir, supervisor: 'start-stop-daemon' },
      servers: [everything()],
      secretEnv: { MCP_TEST_CANARY: canary },
    });
  const observed = async (name: string): Promise<ObservedServer | undefined> =>
    (await processProvider.observe(ctxFor())).servers.find((s) => s.name === name);

  test('a killed server is restarted by its launcher, counted, and answers MCP again', async () => {
    const ctx = ctxFor();
    const created = await processProvider.apply(ctx, change('create', 'everything', everything()));
    assert.equal(created.outcome, 'applied', created.message);
    const endpoint = (await processProvider.endpoint(ctx, everything()))!;
    assert.equal((await verifyServer(endpoint, { timeoutMs: 20_000 })).health, 'healthy');
    assert.equal((await observed('everything'))?.restarts, undefined, 'no restart yet: none reported');

    const launcher = pidOf(baseDir, 'everything')!;
    const child = childPidOf(baseDir, 'everything')!;
    assert.notEqual(child, launcher, 'the launcher runs the server as its child');
    process.kill(child, 'SIGKILL');
    const back = await waitFor(
      async () => {
        const server = await observed('everything');
        return server?.running && (server.restarts ?? 0) >= 1 ? server : undefined;
      },
      { timeoutMs: 20_000, what: 'the launcher to restart the killed server' },
    );
    assert.equal(back.down, undefined);
    const state = launcherState(baseDir, 'everything')!;
    assert.equal(state.launcherPid, launcher, 'the same launcher restarted it');
    assert.deepEqual([state.lastExit?.pid, state.lastExit?.signal], [child, 'SIGKILL']);
    assert.notEqual(state.childPid, child);
    const verified = await verifyServer(endpoint, { expectTools: ['echo'], timeoutMs: 20_000 });
    assert.equal(verified.error, undefined);
    assert.equal(verified.toolCount, 13);
  });

  test('a killed launcher is reported with why, its server does not linger, and a repair keeps the count', async () => {
    const launcher = pidOf(baseDir, 'everything')!;
    const child = childPidOf(baseDir, 'everything')!;
    process.kill(launcher, 'SIGKILL');
    await waitFor(() => !isProcessAlive(launcher), { timeoutMs: 5000, what: 'the launcher to die' });
    const server = await observed('everything');
    assert.equal(server?.running, false);
    assert.equal(server?.actual?.running, false);
    assert.match(server?.down ?? '', new RegExp(`^not running: its launcher \\(pid ${launcher}\\) is gone`));
    await waitFor(() => !isProcessAlive(child), { timeoutMs: 10_000, what: 'the orphaned server to exit' });

    const ctx = ctxFor();
    const repaired = await processProvider.apply(ctx, change('update', 'everything', everything()));
    assert.equal(repaired.outcome, 'applied', repaired.message);
    const endpoint = (await processProvider.endpoint(ctx, everything()))!;
    assert.equal((await verifyServer(endpoint, { timeoutMs: 20_000 })).health, 'healthy');
    const after = await observed('everything');
    assert.equal(after?.running, true);
    assert.equal(after?.restarts, 1, 'the same spec started again keeps its restart count');
    assert.equal((await processProvider.apply(ctx, change('delete', 'everything'))).outcome, 'applied');
  });

  test('a server that keeps dying is a crash loop, with its last log lines, secrets redacted', async () => {
    const script = join(home, 'flaky.mjs');
    writeFileSync(
      script,
      "console.log('loading config with token ' + process.env.API_TOKEN);\nconsole.error('cannot start: config is broken');\nprocess.exit(1);\n",
    );
    const flaky = desiredServer('flaky', {
      command: { path: script },
      transport: 'streamable-http',
      port: await freePort(),
      secrets: [{ name: 'API_TOKEN', ref: 'env:MCP_TEST_CANARY' }],
    });
    const ctx = ctxFor();
    const created = await processProvider.apply(ctx, change('create', 'flaky', flaky));
    assert.equal(created.outcome, 'applied', created.message);
    const looping = await waitFor(
      async () => {
        const server = await observed('flaky');
        return server?.down?.startsWith('crash loop') ? server : undefined;
      },
      { timeoutMs: 60_000, what: 'a crash loop to be reported' },
    );
    assert.equal(looping.running, false);
    assert.ok((looping.restarts ?? 0) >= 4, `restarts: ${looping.restarts}`);
    assert.match(
      looping.down ?? '',
      /^crash loop: it exited 5 times or more within a minute and is restarted with backoff; last exit: the server exited with code 1; last log lines: .*loading config with token \[REDACTED\] \| cannot start: config is broken$/,
    );
    assert.doesNotMatch(JSON.stringify(await processProvider.observe(ctx)), new RegExp(canary));
    const state = launcherState(baseDir, 'flaky')!;
    assert.equal(state.crashLoop, true);
    assert.ok(isProcessAlive(state.launcherPid), 'the launcher keeps going, with backoff');
    assert.ok(state.nextRestartAt === null || state.nextRestartAt > (state.lastExit?.at ?? 0));

    const verified = await verifyServer((await processProvider.endpoint(ctx, flaky))!, { timeoutMs: 60_000 });
    assert.equal(verified.health, 'unhealthy');
    assert.match(verified.error ?? '', /^crash loop: .*cannot start: config is broken/);
    assert.equal((await processProvider.apply(ctx, change('delete', 'flaky'))).outcome, 'applied');
  });
});
