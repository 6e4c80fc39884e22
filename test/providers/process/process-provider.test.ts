import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { processProvider } from '../../../src/providers/process/index.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import {
  freePort,
  inspectorCli,
  isProcessAlive,
  serverVersion,
  tempDir,
  waitFor,
} from '../../helpers/mcp-servers.js';
import { requireTools } from '../../helpers/require-tools.js';
import { change, desiredServer, killServer, pidOf, processContext, serverDir } from './fixtures.js';

requireTools('start-stop-daemon');

const run = promisify(execFile);

describe('process provider with start-stop-daemon: server-everything from its npm package', () => {
  const cleanups: (() => unknown)[] = [];
  let home: string;
  let baseDir: string;
  let port: number;

  before(async () => {
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    baseDir = join(home, 'mcp');
    port = await freePort();
  });
  after(async () => {
    killServer(baseDir, 'everything');
    for (const fn of cleanups.reverse()) await fn();
  });

  const everything = (extraEnv: Record<string, string> = {}) =>
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
      env: { PORT: String(port), ...extraEnv },
      health: { expectTools: ['echo'] },
    });
  const ctxFor = (desired = everything()) =>
    processContext({ home, settings: { baseDir, supervisor: 'start-stop-daemon' }, servers: [desired] });

  test('create installs the pinned package, starts it and it answers MCP', async () => {
    const desired = everything();
    const ctx = ctxFor(desired);
    const result = await processProvider.apply(ctx, change('create', 'everything', desired));
    assert.equal(result.outcome, 'applied', result.message);
    assert.match(
      result.message ?? '',
      /started @modelcontextprotocol\/server-everything@.* \(start-stop-daemon\)/,
    );
    const prefix = join(
      baseDir,
      'packages',
      `@modelcontextprotocol/server-everything@${serverVersion('everything')}`,
    );
    assert.equal(
      readFileSync(join(prefix, '.mcp-gitops-installed'), 'utf8'),
      `@modelcontextprotocol/server-everything@${serverVersion('everything')}\n`,
      'a completed install is marked so later applies reuse it',
    );

    const endpoint = await processProvider.endpoint(ctx, desired);
    assert.deepEqual(
      { ...endpoint, exited: undefined, notOurs: undefined },
      {
        exited: undefined,
        notOurs: undefined,
        kind: 'http',
        url: `http://127.0.0.1:${port}/mcp`,
        transport: 'streamable-http',
      },
    );
    const verified = await verifyServer(endpoint!, { expectTools: ['echo'], timeoutMs: 20_000 });
    assert.equal(verified.error, undefined);
    assert.equal(verified.health, 'healthy');
    assert.equal(verified.toolCount, 13);
  });

  test('observe finds it running and in sync with render(desired)', async () => {
    const desired = everything();
    const ctx = ctxFor(desired);
    const observed = await processProvider.observe(ctx);
    assert.equal(observed.reachable, true);
    assert.equal(observed.facts?.supervisor, 'start-stop-daemon');
    const server = observed.servers.find((s) => s.name === 'everything');
    assert.ok(server);
    assert.equal(server.running, true);
    assert.equal(server.specHash, desired.specHash);
    assert.deepEqual(server.actual, processProvider.render(desired, ctx.target, ctx.environment));
  });

  test('an independent MCP client (mcp-inspector CLI) lists its tools', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        inspectorCli(),
        '--cli',
        `http://127.0.0.1:${port}/mcp`,
        '--transport',
        'http',
        '--method',
        'tools/list',
      ],
      { timeout: 60_000 },
    );
    const listed = JSON.parse(stdout) as { tools: { name: string }[] };
    assert.equal(listed.tools.length, 13);
    assert.ok(listed.tools.some((t) => t.name === 'echo'));
  });

  test('it listens on 127.0.0.1 only, although server-everything binds every interface', async () => {
    const tcp = readFileSync('/proc/net/tcp', 'utf8') + readFileSync('/proc/net/tcp6', 'utf8');
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const listening = tcp
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
      .map((f) => f[1]);
    assert.deepEqual(listening, [`0100007F:${hexPort}`]);
  });

  test('a killed server is observed as not running: drift running false → true', async () => {
    const pid = pidOf(baseDir, 'everything')!;
    assert.ok(isProcessAlive(pid));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: 'killed server to die' });
    const desired = everything();
    const ctx = ctxFor(desired);
    const server = (await processProvider.observe(ctx)).servers.find((s) => s.name === 'everything');
    assert.equal(server?.running, false);
    assert.equal(server?.actual?.running, false);
    assert.equal(processProvider.render(desired, ctx.target, ctx.environment).running, true);
  });

  test('update restarts it with the new spec', async () => {
    const desired = everything({ LOG_LEVEL: 'debug' });
    const ctx = ctxFor(desired);
    const result = await processProvider.apply(ctx, change('update', 'everything', desired));
    assert.equal(result.outcome, 'applied', result.message);
    const pid = pidOf(baseDir, 'everything')!;
    const verified = await verifyServer((await processProvider.endpoint(ctx, desired))!, {
      timeoutMs: 20_000,
    });
    assert.equal(verified.health, 'healthy');
    assert.match(readFileSync(join(serverDir(baseDir, 'everything'), 'env'), 'utf8'), /LOG_LEVEL="debug"/);

    const again = await processProvider.apply(ctx, change('update', 'everything', desired));
    assert.equal(again.outcome, 'applied', again.message);
    assert.match(again.message ?? '', /^restarted/);
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: 'old process to be gone' });
    const newPid = pidOf(baseDir, 'everything')!;
    assert.notEqual(newPid, pid);
    assert.ok(isProcessAlive(newPid));
    const observed = (await processProvider.observe(ctx)).servers.find((s) => s.name === 'everything');
    assert.equal(observed?.specHash, desired.specHash);
  });

  test('delete stops it, removes its directory and keeps the installed package', async () => {
    const ctx = ctxFor();
    const pid = pidOf(baseDir, 'everything')!;
    const result = await processProvider.apply(ctx, change('delete', 'everything'));
    assert.equal(result.outcome, 'applied', result.message);
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: 'deleted server to be gone' });
    assert.equal(existsSync(serverDir(baseDir, 'everything')), false);
    assert.ok(
      existsSync(
        join(baseDir, 'packages', `@modelcontextprotocol/server-everything@${serverVersion('everything')}`),
      ),
    );
    assert.deepEqual((await processProvider.observe(ctx)).servers, []);
  });
});
