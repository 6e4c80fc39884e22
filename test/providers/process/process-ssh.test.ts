import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHost } from '../../../src/hosts/create-host.js';
import { processProvider } from '../../../src/providers/process/index.js';
import { reachableFromHere } from '../../../src/providers/process/reachable-from-here.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { isProcessAlive, waitFor } from '../../helpers/mcp-servers.js';
import { netnsAvailable, type Sshd, startSshd } from '../../helpers/sshd.js';
import { canaryServerScript } from './canary-server.js';
import { change, desiredServer, killServer, pidOf, processContext } from './fixtures.js';

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
    assert.doesNotMatch(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), new RegExp(canary));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: 'killed server to die' });
    assert.equal((await processProvider.observe(ctx)).servers[0]?.running, false);

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
