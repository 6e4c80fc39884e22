/**
 * The container provider against a real Docker Engine API (podman's compatible service) and the
 * offline server-everything image: create, observe in sync, secrets that stay out of every
 * output, drift from a container stopped by hand, a failed update that keeps the server, exit
 * reporting, delete — and a container made by hand that is never touched.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { containerProvider } from '../../../src/providers/container/index.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { tempDir } from '../../helpers/mcp-servers.js';
import {
  containerLabels,
  ensureEverythingImage,
  everythingImage,
  type PodmanService,
  podman,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';
import { change, containerContext, ENVIRONMENT, everythingServer } from './fixtures.js';

requireTools('podman');

const NAME = `mcp-gitops_${ENVIRONMENT}_box_everything`;
const HANDMADE = `handmade-${randomBytes(4).toString('hex')}`;

async function callTool(port: number, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  try {
    const res = await client.callTool({ name, arguments: args });
    return (res.content as { text?: string }[]).map((c) => c.text ?? '').join('');
  } finally {
    await client.close();
  }
}

describe('container provider on podman: server-everything from an oci image', { timeout: 240_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  const canary = `canary-${randomBytes(10).toString('hex')}`;
  let service: PodmanService;
  let home: string;
  let port: number;

  before(async () => {
    await ensureEverythingImage();
    service = await startPodmanService();
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    port = await uncommonPort();
    await podman(['create', '--name', HANDMADE, everythingImage().ref]);
  });
  after(async () => {
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENVIRONMENT}`).catch(() => undefined);
    await podman(['rm', '-f', '-t', '0', HANDMADE]).catch(() => undefined);
    await service?.stop();
    for (const fn of cleanups.reverse()) await fn();
  });

  const server = (extra: Parameters<typeof everythingServer>[2] = {}) =>
    everythingServer('everything', port, {
      secrets: [{ name: 'CANARY_TOKEN', ref: 'env:MCP_CONTAINER_CANARY' }],
      ...extra,
    });
  const ctxFor = (desired = server()) =>
    containerContext({
      home,
      socket: service.socket,
      servers: [desired],
      secretEnv: { MCP_CONTAINER_CANARY: canary },
    });

  test('create starts the container, published on 127.0.0.1, and it answers MCP', async () => {
    const desired = server();
    const ctx = ctxFor(desired);
    const result = await containerProvider.apply(ctx, change('create', 'everything', desired));
    assert.equal(result.outcome, 'applied', result.message);
    assert.match(result.message ?? '', new RegExp(`started .* as ${NAME} on 127\\.0\\.0\\.1:${port}`));
    const endpoint = await containerProvider.endpoint(ctx, desired);
    assert.equal(endpoint?.kind === 'http' ? endpoint.url : '', `http://127.0.0.1:${port}/mcp`);
    const verified = await verifyServer(endpoint!, { expectTools: ['echo', 'get-env'], timeoutMs: 20_000 });
    assert.equal(verified.error, undefined);
    assert.equal(verified.toolCount, 13);
    const ports = await podman(['port', NAME]);
    assert.equal(ports, `${port}/tcp -> 127.0.0.1:${port}`);
    const policy = await podman(['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', NAME]);
    assert.equal(policy, 'unless-stopped');
  });

  test('the secret reaches the server, and nowhere else: labels, observed state, render, messages', async () => {
    const env = await callTool(port, 'get-env');
    assert.ok(env.includes(canary), 'the server sees its secret');
    const ctx = ctxFor();
    const observed = await containerProvider.observe(ctx);
    const labels = await containerLabels(NAME);
    assert.equal(labels['io.mcp-gitops.managed-by'], 'mcp-gitops');
    assert.equal(labels['io.mcp-gitops.server'], 'everything');
    for (const [what, text] of [
      ['labels', JSON.stringify(labels)],
      ['observed', JSON.stringify(observed)],
      ['render', JSON.stringify(containerProvider.render(server(), ctx.target, ctx.environment))],
    ] as const) {
      assert.ok(!text.includes(canary), `canary in ${what}`);
    }
    assert.match(JSON.stringify(labels), /env:MCP_CONTAINER_CANARY/, 'the reference is recorded');
  });

  test('observe lists only owned containers, in sync with render(desired)', async () => {
    const desired = server();
    const ctx = ctxFor(desired);
    const observed = await containerProvider.observe(ctx);
    assert.equal(observed.reachable, true, observed.reason);
    assert.match(observed.facts?.engine ?? '', /^podman /);
    assert.deepEqual(
      observed.servers.map((s) => s.name),
      ['everything'],
      'the hand-made container is not listed',
    );
    const found = observed.servers[0]!;
    assert.equal(found.specHash, desired.specHash);
    assert.deepEqual(found.spec, desired.spec);
    assert.deepEqual(found.actual, containerProvider.render(desired, ctx.target, ctx.environment));
    assert.deepEqual(found.actual?.secrets, { CANARY_TOKEN: 'env:MCP_CONTAINER_CANARY' });
  });

  test('a container stopped by hand is drift (running false); an update starts it again', async () => {
    await podman(['stop', '-t', '2', NAME]);
    const ctx = ctxFor();
    const found = (await containerProvider.observe(ctx)).servers[0]!;
    assert.equal(found.running, false);
    assert.equal(found.actual?.running, false);
    const exited = await containerProvider.endpoint(ctx, server());
    const why = exited?.kind === 'http' ? await exited.exited?.() : undefined;
    assert.match(
      why ?? '',
      new RegExp(
        `container ${NAME} is (exited|stopped) \\(exit code 0\\); last log lines: .*Server shutdown complete`,
      ),
    );
    const result = await containerProvider.apply(ctx, {
      ...change('update', 'everything', server()),
      reason: 'drift',
    });
    assert.equal(result.outcome, 'applied', result.message);
    const again = (await containerProvider.observe(ctx)).servers[0]!;
    assert.equal(again.running, true);
    const verified = await verifyServer((await containerProvider.endpoint(ctx, server()))!, {
      timeoutMs: 20_000,
    });
    assert.equal(verified.health, 'healthy', verified.error);
    assert.ok((await callTool(port, 'echo', { message: 'hi' })).includes('hi'));
  });

  test('an image that cannot be pulled fails the change and leaves the running container alone', async () => {
    const before = await podman(['inspect', '--format', '{{.Id}}', NAME]);
    const broken = server({ version: 'no-such-tag' });
    const result = await containerProvider.apply(ctxFor(broken), change('update', 'everything', broken));
    assert.equal(result.outcome, 'failed');
    assert.match(
      result.message ?? '',
      /^could not pull localhost\/mcp-gitops-test-everything:no-such-tag: .*(connection refused|manifest unknown|not found)/,
    );
    assert.equal(await podman(['inspect', '--format', '{{.Id}} {{.State.Running}}', NAME]), `${before} true`);
  });

  test('a new container that cannot start is removed and the previous one restored and running', async () => {
    const before = await podman(['inspect', '--format', '{{.Id}}', NAME]);
    // 192.0.2.1 (TEST-NET-1) is on no interface here: the engine cannot publish the port there.
    const ctx = containerContext({
      home,
      socket: service.socket,
      settings: { bindAddress: '192.0.2.1' },
      secretEnv: { MCP_CONTAINER_CANARY: canary },
    });
    const result = await containerProvider.apply(ctx, change('update', 'everything', server()));
    assert.equal(result.outcome, 'failed');
    assert.match(result.message ?? '', /192\.0\.2\.1.*; kept the previous container, restarted$/);
    assert.equal(await podman(['inspect', '--format', '{{.Id}} {{.State.Running}}', NAME]), `${before} true`);
    assert.equal(await podman(['ps', '-aq', '--filter', `name=${NAME}.`]), '', 'no .next/.previous left');
    const verified = await verifyServer((await containerProvider.endpoint(ctxFor(), server()))!, {
      timeoutMs: 20_000,
    });
    assert.equal(verified.health, 'healthy', verified.error);
  });

  test('a container that exits is reported with its exit code and last log lines', async () => {
    const bad = server({ package: { ...server().spec.package!, packageArguments: ['no-such-transport'] } });
    const ctx = ctxFor(bad);
    const result = await containerProvider.apply(ctx, change('update', 'everything', bad));
    assert.equal(result.outcome, 'applied', result.message);
    const endpoint = await containerProvider.endpoint(ctx, bad);
    const verified = await verifyServer(endpoint!, { timeoutMs: 8000 });
    assert.equal(verified.ok, false);
    assert.match(
      verified.error ?? '',
      // Podman restarts it at once (unless-stopped): caught down, or seen restarting.
      /(is (exited|stopped) \(exit code 1\)|keeps exiting \(restarted \d+ times(; last exit code 1)?\)); last log lines: .*Unknown transport: no-such-transport/,
    );
    // Back to the good spec, as the engine's rollback does.
    const back = await containerProvider.apply(ctxFor(), change('update', 'everything', server()));
    assert.equal(back.outcome, 'applied', back.message);
    assert.equal((await containerProvider.observe(ctxFor())).servers[0]?.running, true);
  });

  test('delete removes the container; the hand-made one is still there', async () => {
    const ctx = ctxFor();
    const result = await containerProvider.apply(ctx, change('delete', 'everything'));
    assert.equal(result.outcome, 'applied', result.message);
    assert.deepEqual((await containerProvider.observe(ctx)).servers, []);
    assert.equal(await podman(['ps', '-aq', '--filter', `name=^${NAME}$`]), '');
    assert.equal(await podman(['inspect', '--format', '{{.Name}}', HANDMADE]), HANDMADE);
  });

  test('a target network: the container joins that network and is still published on bindAddress', async () => {
    const network = `mcp-gitops-test-${randomBytes(4).toString('hex')}`;
    await podman(['network', 'create', network]);
    cleanups.push(() => podman(['network', 'rm', '-f', network]).catch(() => undefined));
    const desired = everythingServer('netted', port, { health: { expectTools: ['echo'] } });
    const ctx = containerContext({ home, socket: service.socket, settings: { network }, servers: [desired] });
    const result = await containerProvider.apply(ctx, change('create', 'netted', desired));
    assert.equal(result.outcome, 'applied', result.message);
    const name = `mcp-gitops_${ENVIRONMENT}_box_netted`;
    const networks = JSON.parse(
      await podman(['inspect', '--format', '{{json .NetworkSettings.Networks}}', name]),
    );
    assert.deepEqual(Object.keys(networks), [network]);
    const verified = await verifyServer((await containerProvider.endpoint(ctx, desired))!, {
      timeoutMs: 20_000,
    });
    assert.equal(verified.health, 'healthy', verified.error);
    assert.equal((await containerProvider.apply(ctx, change('delete', 'netted'))).outcome, 'applied');
  });

  test('an engine socket that is not there: the target is unreachable with the reason', async () => {
    const ctx = containerContext({ home, socket: `${home}/missing.sock` });
    const observed = await containerProvider.observe(ctx);
    assert.equal(observed.reachable, false);
    assert.match(observed.reason ?? '', /container engine socket .*missing\.sock does not exist/);
  });
});
