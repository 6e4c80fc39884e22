/**
 * A published port something else holds on the host is a failed start with the engine's reason,
 * never a borrowed "healthy": the foreign listener here is itself a working MCP server (the same
 * server-everything, outside any container), so a provider that took whatever answers on the port
 * would verify as healthy. Covered for a new server, and for an update of one whose container was
 * stopped by hand and whose port a plain HTTP listener took meanwhile.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { containerProvider } from '../../../src/providers/container/index.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { type RunningHttpServer, startEverythingHttp, tempDir } from '../../helpers/mcp-servers.js';
import {
  ensureEverythingImage,
  type PodmanService,
  podman,
  removeContainersWithLabel,
  startPodmanService,
} from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';
import { change, containerContext, everythingServer } from './fixtures.js';

requireTools('podman');

const ENV = 'cport';
const NAME = `mcp-gitops_${ENV}_box_everything`;

describe('a published port already taken on the host', { timeout: 180_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  const scope = { after: (fn: () => unknown) => cleanups.push(fn) };
  let service: PodmanService;
  let home: string;

  const ctxFor = (port: number) =>
    containerContext({
      home,
      socket: service.socket,
      environment: ENV,
      servers: [everythingServer('everything', port)],
    });
  const foreignAnswers = async (foreign: RunningHttpServer) => {
    const verified = await verifyServer({ kind: 'http', url: foreign.url }, { timeoutMs: 10_000 });
    assert.equal(verified.health, 'healthy', verified.error);
  };

  before(async () => {
    await ensureEverythingImage();
    service = await startPodmanService();
    home = await tempDir(scope);
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
    await service?.stop();
  });

  test('a new server: the start fails with the port and the engine reason, nothing is left', async () => {
    const foreign = await startEverythingHttp(scope as never);
    const port = foreign.port;
    const desired = everythingServer('everything', port);
    const result = await containerProvider.apply(ctxFor(port), change('create', 'everything', desired));
    assert.equal(result.outcome, 'failed', result.message);
    assert.match(
      result.message ?? '',
      new RegExp(
        `^could not start the container: port 127\\.0\\.0\\.1:${port} is already allocated on the host ` +
          `\\(the engine: .*${port}.*(address already in use|already allocated)\\)`,
      ),
    );
    assert.equal(await podman(['ps', '-aq', '--filter', `name=^${NAME}$`]), '', 'no container left');
    assert.deepEqual((await containerProvider.observe(ctxFor(port))).servers, []);
    await foreignAnswers(foreign);
    await foreign.stop();
  });

  test('an update of a stopped server whose port was taken meanwhile fails and keeps its container', async () => {
    const foreignFirst = await startEverythingHttp(scope as never);
    const port = foreignFirst.port;
    await foreignFirst.stop(); // the port is free again: the server starts on it
    const desired = everythingServer('everything', port);
    const created = await containerProvider.apply(ctxFor(port), change('create', 'everything', desired));
    assert.equal(created.outcome, 'applied', created.message);
    const id = await podman(['inspect', '--format', '{{.Id}}', NAME]);
    await podman(['stop', '-t', '2', NAME]);
    const foreign = await foreignListener(port);
    cleanups.push(() => foreign.stop());
    const result = await containerProvider.apply(ctxFor(port), {
      ...change('update', 'everything', desired),
      reason: 'drift',
    });
    assert.equal(result.outcome, 'failed', result.message);
    assert.match(
      result.message ?? '',
      new RegExp(
        `port 127\\.0\\.0\\.1:${port} is already allocated on the host .*; kept the previous container$`,
      ),
    );
    assert.equal(await podman(['inspect', '--format', '{{.Id}} {{.State.Running}}', NAME]), `${id} false`);
    const observed = (await containerProvider.observe(ctxFor(port))).servers[0];
    assert.equal(observed?.running, false, 'still down, not borrowed');
    assert.equal(await foreign.answers(), true, 'the listener keeps its port');
  });
});

/** A plain HTTP listener on 127.0.0.1:`port` that is not the server (and not in a container). */
async function foreignListener(
  port: number,
): Promise<{ answers(): Promise<boolean>; stop(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end('not the container'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    answers: async () =>
      (await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text())) === 'not the container',
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
