/**
 * The steady loop learns of a served container's death from the engine's events, not from the
 * next interval: `serve` (real HTTP git remote, real podman Docker Engine API, the offline test
 * image of server-everything) with an interval of an hour; `podman kill` of the container starts a
 * pass at once, which starts it again (sync.drift: correct) and verifies it over MCP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { verifyServer } from '../../src/verify/verify-server.js';
import { waitFor } from '../helpers/mcp-servers.js';
import {
  ensureEverythingImage,
  everythingImage,
  type PodmanService,
  podman,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../helpers/podman.js';
import { requireTools } from '../helpers/require-tools.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { startRemoteServe } from './start-remote-serve.js';

requireTools('podman');

const ENV = 'cevents';
const NAME = `mcp-gitops_${ENV}_box_everything`;
let remote: ConfigRemote;
let service: PodmanService;
let serve: RunningServe;
let port: number;
const events: ReconcileEvent[] = [];

const answers = async () =>
  (
    await verifyServer(
      { kind: 'http', url: `http://127.0.0.1:${port}/mcp` },
      { expectTools: ['echo'], timeoutMs: 3000 },
    )
  ).health === 'healthy';

before(async () => {
  await ensureEverythingImage();
  service = await startPodmanService();
  port = await uncommonPort();
  remote = await createConfigRemote();
  const image = everythingImage();
  remote.pusher.write(
    'servers/everything.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: everything }\nspec:\n  package: { registryType: oci, identifier: "${image.identifier}", version: "${image.version}" }\n  transport: streamable-http\n  port: ${port}\n  path: /mcp\n  env: { PORT: "${port}" }\n  health: { expectTools: [echo], timeoutMs: 20000 }\n`,
  );
  remote.pusher.write(
    `environments/${ENV}.yaml`,
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: ${ENV} }\nspec:\n  targets:\n    - name: box\n      provider: container\n      socket: unix://${service.socket}\n  servers:\n    - name: everything\n`,
  );
  await remote.pusher.commitAndPush('a container target');
  serve = await startRemoteServe(remote, {
    webhookSecret: undefined,
    bodyLimit: 1024,
    intervalMs: 3_600_000,
    extensions: [{ observer: { reconciled: (e) => events.push(e) } }],
  });
});

after(async () => {
  await serve?.stop();
  await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
  await service?.stop();
  await remote?.close();
});

describe('serve: container deaths start a steady pass', { timeout: 300_000 }, () => {
  test('podman kill → a pass at once → running and answering MCP again, long before the interval', async () => {
    await waitFor(() => events.some((e) => e.trigger === 'startup' && e.environment === ENV), {
      timeoutMs: 120_000,
      what: 'the startup reconcile',
    });
    assert.ok(await answers(), 'served after the startup reconcile');
    // The watcher starts after the first run; give it a moment to listen.
    await new Promise((r) => setTimeout(r, 1500));
    await podman(['kill', NAME]);
    await waitFor(() => events.some((e) => e.trigger === 'event' && e.environment === ENV), {
      timeoutMs: 60_000,
      what: 'a pass started by the death',
    });
    const pass = events.find((e) => e.trigger === 'event' && e.environment === ENV);
    assert.equal(pass?.error, undefined);
    assert.equal(await podman(['inspect', '--format', '{{.State.Running}}', NAME]), 'true');
    assert.ok(await answers(), 'answers MCP again');
  });
});
