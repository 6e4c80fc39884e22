/**
 * An API server that accepts connections but never answers must not hang a run: every request of
 * a `connectKube` client has a deadline, and the error says so in one line (no stack, no body).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectKube, kubeErrorMessage } from '../../src/kube/connect.js';

describe('connectKube request deadline', () => {
  let silent: net.Server;
  const sockets: net.Socket[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-kube-timeout-'));
  let kubeconfig = '';

  before(async () => {
    silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    kubeconfig = path.join(dir, 'config');
    fs.writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
        'users: [{name: u, user: {token: t}}]',
        'contexts: [{name: x, context: {cluster: c, user: u}}]',
        'current-context: x',
      ].join('\n'),
    );
  });

  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a request to a silent server fails after the deadline, said in one line', {
    timeout: 20_000,
  }, async () => {
    const conn = connectKube({ kubeconfig, timeoutMs: 400 });
    const start = Date.now();
    const err = await conn.apps.listNamespacedDeployment({ namespace: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const took = Date.now() - start;
    assert.ok(err, 'the request failed');
    assert.ok(took >= 350 && took < 10_000, `failed after ${took} ms`);
    assert.equal(kubeErrorMessage(err), 'the API server did not answer in time');
  });
});
