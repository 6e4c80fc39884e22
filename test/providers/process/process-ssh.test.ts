import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHost } from '../../../src/hosts/create-host.js';
import { processProvider } from '../../../src/providers/process/index.js';
import { reachableFromHere } from '../../../src/providers/process/reachable-from-here.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { isProcessAlive, stopProcess, waitFor } from '../../helpers/mcp-servers.js';
import { requireTools } from '../../helpers/require-tools.js';
import { netnsAvailable, type Sshd, startSshd } from '../../helpers/sshd.js';
import { canaryServerScript } from './canary-server.js';
import { change, childPidOf, desiredServer, killServer, pidOf, processContext } from './fixtures.js';

requireTools('sshd', 'ssh', 'ip', 'start-stop-daemon');

// The "VM" is a real sshd in its own network namespace: the server must listen on the namespace's
// address, and the reconciler verifies it from outside through that address.
describe('process provider over ssh (sshd in a network namespace)', {
  skip: !netnsAvailable() && 'needs root and ip netns',
}, () => {
  let sshd: Sshd;
  let ctx: ProviderContext;
  let baseDir: string;
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  const port = 45000 + Math.floor(Math.random() * 4000);

  before(async () => {
    sshd = await startSshd(undefined, { netns: true });
    baseDir = join(sshd.dir, 'mcp');
    const script = join(sshd.dir, 'canary-server.mjs');
    writeFileSync(script, canaryServerScript());
    const settings = {
      name: 'vm',
      provider: 'process',
      host: sshd.url,
      identityFile: { ref: `file:${sshd.identityFile}` },
      knownHosts: sshd.knownHosts,
      home: sshd.dir,
      baseDir,
      listenHost: '0.0.0.0',
    };
    const server = desiredServer('canary', {
      command: { path: script },
      transport: 'streamable-http',
      port,
      env: { PORT: String(port) },
      secrets: [{ name: 'CANARY_TOKEN', ref: 'env:MCP_TEST_CANARY' }],
    });
    ctx = {
      ...processContext({
        home: sshd.dir,
        settings,
        servers: [server],
        secretEnv: { MCP_TEST_CANARY: canary },
      }),
      host: createHost(settings),
    };
  });
  after(async () => {
    if (baseDir) killServer(baseDir.replace(/\/$/, ''), 'canary');
    await ctx?.host.close();
    await sshd?.stop();
  });

  test('create, observe, verify from outside, kill → drift, delete', async () => {
    const desired = ctx.target.servers[0]!;
    const created = await processProvider.apply(ctx, change('create', 'canary', desired));
    assert.equal(created.outcome, 'applied', created.message);
    assert.match(created.message ?? '', /start-stop-daemon/);

    const endpoint = await processProvider.endpoint(ctx, desired);
    assert.equal(endpoint?.kind === 'http' && endpoint.url, `http://${sshd.address}:${port}/mcp`);
    const verified = await verifyServer(endpoint!, { expectTools: ['whoami'], timeoutMs: 20_000 });
    assert.equal(verified.error, undefined);
    assert.equal(verified.health, 'healthy');

    const observed = await processProvider.observe(ctx);
    assert.equal(observed.reachable, true, observed.reason);
    assert.equal(observed.facts?.supervisor, 'start-stop-daemon');
    assert.deepEqual(
      observed.servers[0]?.actual,
      processProvider.render(desired, ctx.target, ctx.environment),
    );

    const pid = pidOf(baseDir, 'canary')!;
    const child = childPidOf(baseDir, 'canary')!;
    for (const p of [pid, child]) {
      assert.doesNotMatch(readFileSync(`/proc/${p}/cmdline`, 'utf8'), new RegExp(canary));
      assert.doesNotMatch(readFileSync(`/proc/${p}/environ`, 'utf8'), new RegExp(canary));
    }
    // The server dies: its launcher on the host restarts it, and observe over ssh counts it.
    process.kill(child, 'SIGKILL');
    const restarted = await waitFor(
      async () => {
        const server = (await processProvider.observe(ctx)).servers[0];
        return server?.running && (server.restarts ?? 0) >= 1 ? server : undefined;
      },
      { timeoutMs: 20_000, what: 'the launcher on the host to restart the server' },
    );
    assert.equal(restarted.down, undefined);
    assert.equal((await verifyServer(endpoint!, { timeoutMs: 20_000 })).health, 'healthy');

    // The launcher dies: nothing restarts it, and observe says so.
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: 'killed launcher to die' });
    const dead = (await processProvider.observe(ctx)).servers[0];
    assert.equal(dead?.running, false);
    assert.match(dead?.down ?? '', /its launcher \(pid \d+\) is gone/);

    const deleted = await processProvider.apply(ctx, change('delete', 'canary'));
    assert.equal(deleted.outcome, 'applied', deleted.message);
    assert.deepEqual((await processProvider.observe(ctx)).servers, []);
  });

  test('a server on the remote loopback is verified on the host, through ssh', async () => {
    const loopback = {
      ...ctx,
      target: { ...ctx.target, settings: { ...ctx.target.settings, listenHost: '127.0.0.1' } },
    };
    const desired = loopback.target.servers[0]!;
    const created = await processProvider.apply(loopback, change('create', 'canary', desired));
    assert.equal(created.outcome, 'applied', created.message);
    assert.equal(await reachableFromHere(sshd.address, port, 0), false);

    const endpoint = await processProvider.endpoint(loopback, desired);
    assert.equal(endpoint?.kind === 'stdio' && endpoint.command, 'ssh');
    assert.match(endpoint?.kind === 'stdio' ? (endpoint.display ?? '') : '', /127\.0\.0\.1.*through ssh/);
    const verified = await verifyServer(endpoint!, { expectTools: ['whoami'], timeoutMs: 20_000 });
    assert.equal(verified.error, undefined);
    assert.equal(verified.health, 'healthy');

    const deleted = await processProvider.apply(loopback, change('delete', 'canary'));
    assert.equal(deleted.outcome, 'applied', deleted.message);
    const stopped = await verifyServer(endpoint!, { timeoutMs: 3000 });
    assert.notEqual(stopped.health, 'healthy');
  });

  test('through ssh, an MCP server on the port that is not ours is found out on the host', async (t) => {
    const loopback = {
      ...ctx,
      target: { ...ctx.target, settings: { ...ctx.target.settings, listenHost: '127.0.0.1' } },
    };
    const idleScript = join(sshd.dir, 'idle.mjs');
    writeFileSync(idleScript, 'setInterval(() => {}, 1 << 30);\n');
    const idle = desiredServer('idle', { command: { path: idleScript }, transport: 'streamable-http', port });
    t.after(() => killServer(baseDir, 'idle'));
    assert.equal((await processProvider.apply(loopback, change('create', 'idle', idle))).outcome, 'applied');
    const endpoint = await processProvider.endpoint(loopback, idle);
    assert.equal(endpoint?.kind === 'stdio' && endpoint.command, 'ssh');

    // Another MCP server takes the port on the VM while ours is still starting.
    const other = spawn(
      'ip',
      ['netns', 'exec', sshd.netns!, process.execPath, join(sshd.dir, 'canary-server.mjs')],
      {
        env: { PATH: process.env.PATH ?? '', PORT: String(port) },
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    t.after(() => stopProcess(other.pid!));
    let output = '';
    other.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor(() => output.includes('listening'), { timeoutMs: 15_000, what: 'the other MCP server' });

    const verified = await verifyServer(endpoint!, { timeoutMs: 20_000 });
    assert.equal(verified.health, 'unhealthy');
    assert.match(
      verified.error ?? '',
      new RegExp(`mcp-http-bridge: port ${port} is in use by another process \\(pid ${other.pid}, `),
    );
    assert.equal((await processProvider.apply(loopback, change('delete', 'idle'))).outcome, 'applied');
  });

  test('a server on an address the reconciler cannot reach is verified on the host, through ssh', async () => {
    // An address only the VM has (on its loopback interface): nothing routes to it from here.
    const hidden = `10.201.${sshd.address.split('.')[2]}.1`;
    execFileSync('ip', ['-n', sshd.netns!, 'addr', 'add', `${hidden}/32`, 'dev', 'lo'], { timeout: 10_000 });
    const unreachable = {
      ...ctx,
      target: { ...ctx.target, settings: { ...ctx.target.settings, listenHost: hidden } },
    };
    const desired = unreachable.target.servers[0]!;
    const created = await processProvider.apply(unreachable, change('create', 'canary', desired));
    assert.equal(created.outcome, 'applied', created.message);

    const endpoint = await processProvider.endpoint(unreachable, desired);
    assert.equal(endpoint?.kind === 'stdio' && endpoint.command, 'ssh');
    assert.equal(
      endpoint?.kind === 'stdio' && endpoint.display,
      `http://${hidden}:${port}/mcp on ${sshd.url} (through ssh)`,
    );
    const verified = await verifyServer(endpoint!, { expectTools: ['whoami'], timeoutMs: 20_000 });
    assert.equal(verified.error, undefined);
    assert.equal(verified.health, 'healthy');

    const deleted = await processProvider.apply(unreachable, change('delete', 'canary'));
    assert.equal(deleted.outcome, 'applied', deleted.message);
  });
});
