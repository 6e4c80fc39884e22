/**
 * Verifying a run's servers on the local host reads the listening sockets once for the port checks
 * of a moment (listener-snapshot.ts), not once per server; what that shared table may get wrong
 * never stands: a foreign holder it shows is asked about again (the port may have been freed
 * since), and the check after a handshake (`notOurs`) reads afresh (the port may have been taken
 * since). Real sockets of this test process stand for the foreign holders.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { processProvider } from '../../../src/providers/process/index.js';
import { recentListeners, SNAPSHOT_MS } from '../../../src/providers/process/listener-snapshot.js';
import type { ServerRecord } from '../../../src/providers/process/server-record.js';
import type { Endpoint } from '../../../src/providers/types.js';
import { freePort, tempDir } from '../../helpers/mcp-servers.js';
import { desiredServer, processContext, serverDir } from './fixtures.js';

async function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A context whose server `web` has a record on disk (as after its apply) with `port`, and no launcher. */
async function withRecord(t: Parameters<typeof tempDir>[0], port: number) {
  const home = await tempDir(t);
  const baseDir = join(home, 'mcp');
  const server = desiredServer('web', {
    command: { path: process.execPath, args: ['server.mjs'] },
    transport: 'streamable-http',
    port,
  });
  const record: ServerRecord = {
    formatVersion: 1,
    environment: 'dev',
    target: 'procs',
    server: 'web',
    spec: server.spec,
    specHash: server.specHash,
    port,
    listenHost: '127.0.0.1',
    supervisor: 'pidfile',
    command: [process.execPath, 'server.mjs'],
  };
  mkdirSync(serverDir(baseDir, 'web'), { recursive: true });
  writeFileSync(join(serverDir(baseDir, 'web'), 'spec.json'), JSON.stringify(record));
  return { ctx: processContext({ home, settings: { baseDir }, servers: [server] }), server };
}

describe('process provider: port checks share one listener table per moment', () => {
  test('a snapshot answers for SNAPSHOT_MS: a socket opened after it shows only in the next one', async (t) => {
    const { ctx } = await withRecord(t, await freePort());
    const port = await freePort();
    const start = performance.now();
    assert.deepEqual(recentListeners(ctx.host, port, start)?.sockets, []);
    const holder = await listen(port);
    t.after(() => close(holder));
    assert.deepEqual(recentListeners(ctx.host, port, start + 1)?.sockets, [], 'the same snapshot');
    const fresh = recentListeners(ctx.host, port, start + SNAPSHOT_MS + 1)?.sockets ?? [];
    assert.equal(fresh.length, 1, 'read again once the snapshot is SNAPSHOT_MS old');
    assert.equal(fresh[0]?.address, '127.0.0.1');
    assert.equal(fresh[0]?.port, port);
  });

  test('a foreign holder the snapshot shows is asked about afresh: freed since, the check passes', async (t) => {
    const port = await freePort();
    const { ctx, server } = await withRecord(t, port);
    // Bounded retries: each attempt needs the few steps below to fall within one snapshot's life.
    for (let attempt = 1; ; attempt++) {
      const holder = await listen(port);
      await assert.rejects(
        processProvider.endpoint(ctx, server),
        new RegExp(`port ${port} is in use by another process \\(pid ${process.pid}, node\\)`),
      );
      // The snapshot that check took now shows a holder that is gone.
      await close(holder);
      const endpoint = await processProvider.endpoint(ctx, server);
      const stale = recentListeners(ctx.host, port)?.sockets ?? [];
      if (stale.length === 0 && attempt < 3) continue; // the snapshot expired in between: again
      assert.equal(stale.length, 1, 'the endpoint was handed out while the snapshot still showed the holder');
      assert.equal(endpoint?.kind, 'http');
      assert.equal((endpoint as Extract<Endpoint, { kind: 'http' }>).url, `http://127.0.0.1:${port}/mcp`);
      return;
    }
  });

  test('the check after a handshake reads afresh: a port taken since the snapshot is reported', async (t) => {
    const port = await freePort();
    const { ctx, server } = await withRecord(t, port);
    const endpoint = (await processProvider.endpoint(ctx, server)) as Extract<Endpoint, { kind: 'http' }>;
    assert.deepEqual(recentListeners(ctx.host, port)?.sockets, [], 'the snapshot shows the port free');
    const holder = await listen(port);
    t.after(() => close(holder));
    assert.equal(
      await endpoint.notOurs?.(),
      `port ${port} is in use by another process (pid ${process.pid}, node)`,
    );
  });
});
