/**
 * Requests of one connection (connectKube) share one kept-alive TLS connection to the API server,
 * instead of a new connection, handshake and TLS context per request (what the client library
 * does on its own): counted as TLS connections opened towards the real kube-apiserver (calls of
 * `tls.connect`, which Node's https agents make for every new connection).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { connectKube } from '../../../src/kube/connect.js';
import { type KubeApiServer, startKubeApiServer } from '../../helpers/kube-apiserver.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-kube-conns-'));

describe('connections to the API server', { timeout: 300_000 }, () => {
  let api: KubeApiServer;
  before(async () => {
    api = await startKubeApiServer({ dir: base });
  });
  after(async () => {
    await api?.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('sequential and concurrent requests reuse kept-alive connections; a second connection has its own', async () => {
    const port = Number(new URL(api.url).port);
    let opened = 0;
    const connect = tls.connect;
    tls.connect = ((...args: Parameters<typeof tls.connect>) => {
      const options = args[0] as tls.ConnectionOptions;
      if (Number(options?.port) === port) opened++;
      return connect(...args);
    }) as typeof tls.connect;
    try {
      const conn = connectKube({ kubeconfig: api.adminKubeconfig });
      for (let i = 0; i < 10; i++) await conn.core.listNamespacedService({ namespace: 'default' });
      assert.equal(opened, 1, 'ten requests one after another: one connection');
      await Promise.all(
        Array.from({ length: 8 }, () => conn.core.listNamespacedService({ namespace: 'default' })),
      );
      assert.ok(opened <= 8, `eight at once: at most eight connections, opened ${opened}`);
      const before = opened;
      await connectKube({ kubeconfig: api.adminKubeconfig }).core.listNamespacedService({
        namespace: 'default',
      });
      assert.equal(opened, before + 1, 'another connectKube does not share the first one’s agent');
    } finally {
      tls.connect = connect;
    }
  });
});
