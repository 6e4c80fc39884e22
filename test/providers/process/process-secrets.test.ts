import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { processProvider } from '../../../src/providers/process/index.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { freePort, isProcessAlive, tempDir, waitFor } from '../../helpers/mcp-servers.js';
import { canaryServerScript } from './canary-server.js';
import {
  change,
  childPidOf,
  desiredServer,
  killServer,
  pidOf,
  processContext,
  serverDir,
} from './fixtures.js';

interface Whoami {
  token: string;
  address: { address: string; port: number };
  pid: number;
}

async function whoami(port: number): Promise<Whoami> {
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  try {
    const called = await client.callTool({ name: 'whoami', arguments: {} });
    return JSON.parse((called.content as { text: string }[])[0]!.text) as Whoami;
  } finally {
    await client.close();
  }
}

describe('process provider with the pidfile supervisor: a command server and a canary secret', () => {
  const cleanups: (() => unknown)[] = [];
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  let home: string;
  let baseDir: string;
  let script: string;
  let port: number;

  before(async () => {
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    baseDir = join(home, 'mcp');
    script = join(home, 'canary-server.mjs');
    writeFileSync(script, canaryServerScript());
    port = await freePort();
  });
  after(async () => {
    killServer(baseDir, 'canary');
    for (const fn of cleanups.reverse()) await fn();
  });

  const canaryServer = () =>
    desiredServer('canary', {
      command: { path: script },
      transport: 'streamable-http',
      port,
      env: { PORT: String(port) },
      secrets: [{ name: 'CANARY_TOKEN', ref: 'env:MCP_TEST_CANARY' }],
      health: { expectTools: ['whoami'] },
    });
  const ctxFor = () =>
    processContext({
      home,
      settings: { baseDir, supervisor: 'pidfile' },
      servers: [canaryServer()],
      secretEnv: { MCP_TEST_CANARY: canary },
    });

  test('the secret reaches the process through the 0600 env file and nowhere else', async () => {
    const desired = canaryServer();
    const ctx = ctxFor();
    const result = await processProvider.apply(ctx, change('create', 'canary', desired));
    assert.equal(result.outcome, 'applied', result.message);
    assert.doesNotMatch(JSON.stringify(result), new RegExp(canary));

    const verified = await verifyServer((await processProvider.endpoint(ctx, desired))!, {
      expectTools: ['whoami'],
      timeoutMs: 20_000,
    });
    assert.equal(verified.error, undefined);
    assert.equal(verified.health, 'healthy');

    const seen = await whoami(port);
    assert.equal(seen.token, canary, 'the server process sees the secret');
    assert.equal(seen.address.address, '127.0.0.1', 'listen(port) was bound to listenHost');

    const launcher = pidOf(baseDir, 'canary')!;
    const pid = childPidOf(baseDir, 'canary')!;
    assert.equal(seen.pid, pid, 'the server is the child the launcher names in its state');
    assert.notEqual(pid, launcher);
    const dir = serverDir(baseDir, 'canary');
    assert.equal(statSync(join(dir, 'env')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700, 'env, log and spec.json live in a private directory');
    assert.match(readFileSync(join(dir, 'env'), 'utf8'), new RegExp(`CANARY_TOKEN="${canary}"`));
    for (const where of [
      `/proc/${launcher}/cmdline`,
      `/proc/${launcher}/environ`,
      `/proc/${pid}/cmdline`,
      `/proc/${pid}/environ`,
      join(dir, 'state.json'),
      join(dir, 'launcher.log'),
      join(dir, 'log'),
      join(dir, 'spec.json'),
    ]) {
      assert.doesNotMatch(readFileSync(where, 'utf8'), new RegExp(canary), `secret leaked into ${where}`);
    }
    assert.match(readFileSync(join(dir, 'log'), 'utf8'), /canary server listening/);
    const spec = JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')) as { spec: { secrets: unknown } };
    assert.deepEqual(spec.spec.secrets, [{ name: 'CANARY_TOKEN', ref: 'env:MCP_TEST_CANARY' }]);

    const observed = await processProvider.observe(ctx);
    assert.equal(observed.facts?.supervisor, 'pidfile');
    assert.equal(observed.servers[0]?.running, true);
    assert.doesNotMatch(JSON.stringify(observed), new RegExp(canary));
  });

  test('an unresolvable secret fails the change with a message, without throwing', async () => {
    const desired = desiredServer('broken', {
      command: { path: script },
      transport: 'streamable-http',
      port: await freePort(),
      secrets: [{ name: 'TOKEN', ref: 'env:MCP_TEST_NOT_SET' }],
    });
    const result = await processProvider.apply(ctxFor(), change('create', 'broken', desired));
    assert.equal(result.outcome, 'failed');
    assert.match(result.message ?? '', /MCP_TEST_NOT_SET/);
    assert.equal(existsSync(serverDir(baseDir, 'broken')), false, 'a failed create leaves nothing behind');
  });

  test('a command that is not a node script runs as a child with the env file and the listen-host preload', async (t) => {
    const wrapper = join(home, 'wrapper.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${script}"\n`, { mode: 0o755 });
    const wrapped = desiredServer('wrapped', {
      command: { path: wrapper },
      transport: 'streamable-http',
      port: await freePort(),
      secrets: [{ name: 'CANARY_TOKEN', ref: 'env:MCP_TEST_CANARY' }],
    });
    wrapped.spec.env = { PORT: String(wrapped.spec.port) };
    const ctx = ctxFor();
    t.after(() => killServer(baseDir, 'wrapped'));
    assert.equal((await processProvider.apply(ctx, change('create', 'wrapped', wrapped))).outcome, 'applied');
    const endpoint = (await processProvider.endpoint(ctx, wrapped))!;
    assert.equal((await verifyServer(endpoint, { timeoutMs: 20_000 })).health, 'healthy');
    const seen = await whoami(wrapped.spec.port!);
    assert.equal(seen.token, canary);
    assert.equal(seen.address.address, '127.0.0.1');
    const launcherPid = pidOf(baseDir, 'wrapped')!;
    assert.notEqual(seen.pid, launcherPid, 'the launcher supervises the command as its child');
    assert.equal((await processProvider.apply(ctx, change('delete', 'wrapped'))).outcome, 'applied');
    await waitFor(() => !isProcessAlive(seen.pid) && !isProcessAlive(launcherPid), {
      timeoutMs: 10_000,
      what: 'launcher and its child to stop',
    });
  });

  test('a server that dies at start fails verification at once, with its last log lines', async (t) => {
    t.after(() => killServer(baseDir, 'crash'));
    const crash = join(home, 'crash-server.mjs');
    writeFileSync(crash, "console.error('cannot open database: missing file'); process.exit(3);\n");
    const desired = desiredServer('crash', {
      command: { path: crash },
      transport: 'streamable-http',
      port: await freePort(),
    });
    const ctx = ctxFor();
    const result = await processProvider.apply(ctx, change('create', 'crash', desired));
    assert.equal(result.outcome, 'applied', result.message);
    const verified = await verifyServer((await processProvider.endpoint(ctx, desired))!, {
      timeoutMs: 60_000,
    });
    assert.equal(verified.health, 'unhealthy');
    assert.match(
      verified.error ?? '',
      /last exit: the server exited with code 3; last log lines: cannot open database: missing file/,
    );
    assert.equal((await processProvider.apply(ctx, change('delete', 'crash'))).outcome, 'applied');
  });

  test('delete stops the pidfile-supervised launcher and its server', async () => {
    const pid = pidOf(baseDir, 'canary')!;
    const child = childPidOf(baseDir, 'canary')!;
    assert.ok(isProcessAlive(pid));
    assert.ok(isProcessAlive(child));
    const result = await processProvider.apply(ctxFor(), change('delete', 'canary'));
    assert.equal(result.outcome, 'applied', result.message);
    await waitFor(() => !isProcessAlive(pid) && !isProcessAlive(child), {
      timeoutMs: 5000,
      what: 'canary server to be gone',
    });
  });
});
