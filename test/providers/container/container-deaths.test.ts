/**
 * Dying containers, told as they are, on a real Docker Engine API (podman's service): the events
 * watcher reports a crash and a `podman kill` at once with their reasons, never mcp-gitops's own
 * stop during an update, and a crash loop as one report; `observe` reports restarts and why a
 * server is down (exit code, "keeps exiting", last log lines with the container's own secrets
 * redacted even when this process never resolved them); the restart policy brings a crashed
 * server back and it answers MCP again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ObservedServer } from '../../../src/core/state.js';
import { containerProvider } from '../../../src/providers/container/index.js';
import {
  type ContainerDeath,
  type DeathWatch,
  watchContainerDeaths,
} from '../../../src/providers/container/watch-deaths.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { tempDir, waitFor } from '../../helpers/mcp-servers.js';
import {
  containerPid,
  ensureEverythingImage,
  everythingImage,
  type PodmanService,
  podman,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';
import { change, containerContext, everythingServer } from './fixtures.js';

requireTools('podman');

const ENV = 'cdeath';
const NAME = `mcp-gitops_${ENV}_box_everything`;

interface Reported {
  server: string;
  reason: string;
  death: ContainerDeath;
}

describe('container deaths: the events watcher and observe', { timeout: 300_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  const canary = `canary-${randomBytes(10).toString('hex')}`;
  let service: PodmanService;
  let home: string;
  let port: number;

  const server = (extra: Parameters<typeof everythingServer>[2] = {}) =>
    everythingServer('everything', port, {
      secrets: [{ name: 'CANARY_TOKEN', ref: 'env:MCP_DEATH_CANARY' }],
      ...extra,
    });
  const ctxFor = (desired = server()) =>
    containerContext({
      home,
      socket: service.socket,
      environment: ENV,
      servers: [desired],
      secretEnv: { MCP_DEATH_CANARY: canary },
    });
  const observe = async (name = 'everything'): Promise<ObservedServer> => {
    const observed = await containerProvider.observe(ctxFor());
    assert.equal(observed.reachable, true, observed.reason);
    const found = observed.servers.find((s) => s.name === name);
    assert.ok(found, `${name} is observed`);
    return found;
  };
  const answersMcp = async () => {
    const verified = await verifyServer((await containerProvider.endpoint(ctxFor(), server()))!, {
      expectTools: ['echo'],
      timeoutMs: 20_000,
    });
    assert.equal(verified.health, 'healthy', verified.error);
  };
  /** A watcher on the target, listening before it is returned; closed after the test. */
  const watch = async (ctx: ProviderContext, reported: Reported[]): Promise<DeathWatch> => {
    const watcher = watchContainerDeaths(ctx, (s, reason, death) =>
      reported.push({ server: s, reason, death }),
    );
    cleanups.push(() => watcher.close());
    let ready = false;
    void watcher.ready.then(() => {
      ready = true;
    });
    await waitFor(() => ready, { timeoutMs: 20_000, what: 'the watcher to listen' });
    return watcher;
  };

  before(async () => {
    await ensureEverythingImage();
    service = await startPodmanService();
    home = await tempDir({ after: (fn) => cleanups.push(fn) });
    port = await uncommonPort();
    const result = await containerProvider.apply(ctxFor(), change('create', 'everything', server()));
    assert.equal(result.outcome, 'applied', result.message);
    await answersMcp();
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
    await service?.stop();
  });

  test('a crash is reported at once with its exit code; the restart policy brings it back and it answers MCP', async () => {
    assert.equal(
      await podman(['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', NAME]),
      'unless-stopped',
    );
    const reported: Reported[] = [];
    const watcher = await watch(ctxFor(), reported);
    process.kill(await containerPid(NAME), 'SIGKILL');
    await waitFor(() => reported.length > 0, { timeoutMs: 15_000, what: 'the death to be reported' });
    const [first] = reported;
    assert.equal(first?.server, 'everything');
    assert.match(first?.reason ?? '', new RegExp(`^container ${NAME} died \\(exit code 137\\)`));
    assert.equal(first?.death.killed, false, 'a crash, not a kill request');
    await answersMcp();
    const found = await observe();
    assert.equal(found.running, true);
    assert.ok((found.restarts ?? 0) >= 1, `restarts ${found.restarts}`);
    assert.equal(found.down, undefined, 'it serves again');
    watcher.close();
  });

  test('podman kill: a death after a kill request; Podman does not restart it, observe says why, an update starts it', async () => {
    const reported: Reported[] = [];
    const watcher = await watch(ctxFor(), reported);
    await podman(['kill', NAME]);
    await waitFor(() => reported.length > 0, { timeoutMs: 15_000, what: 'the kill to be reported' });
    assert.match(
      reported[0]?.reason ?? '',
      new RegExp(`^container ${NAME} died \\(exit code 137, after a kill or stop request\\)`),
    );
    const found = await observe();
    assert.equal(found.running, false, 'a killed container stays down: drift');
    assert.match(
      found.down ?? '',
      new RegExp(`^container ${NAME} is exited \\(exit code 137\\) after \\d+ restarts?; last log lines: .+`),
    );
    assert.ok((found.restarts ?? 0) >= 1);
    const repaired = await containerProvider.apply(ctxFor(), {
      ...change('update', 'everything', server()),
      reason: 'drift',
    });
    assert.equal(repaired.outcome, 'applied', repaired.message);
    await answersMcp();
    watcher.close();
  });

  test("mcp-gitops's own stop during an update is not a death; the next crash is", async () => {
    const reported: Reported[] = [];
    const watcher = await watch(ctxFor(), reported);
    const before = await podman(['inspect', '--format', '{{.Id}}', NAME]);
    const swapped = await containerProvider.apply(ctxFor(), change('update', 'everything', server()));
    assert.equal(swapped.outcome, 'applied', swapped.message);
    assert.notEqual(
      await podman(['inspect', '--format', '{{.Id}}', NAME]),
      before,
      'the container was replaced',
    );
    await answersMcp();
    // Events arrive in order: a death for the swap would come before this crash's.
    process.kill(await containerPid(NAME), 'SIGKILL');
    await waitFor(() => reported.length > 0, { timeoutMs: 15_000, what: 'the crash to be reported' });
    assert.match(reported[0]?.reason ?? '', new RegExp(`^container ${NAME} died \\(exit code 137\\)`));
    assert.equal(reported.length, 1, reported.map((r) => r.reason).join('\n'));
    await answersMcp();
    watcher.close();
  });

  test('a crash loop is one report, then one per window; observe says it keeps exiting, with its log', async () => {
    const reported: Reported[] = [];
    const watcher = await watch(ctxFor(), reported);
    // One line, then exit 9: five log lines hold it even when the next restart has begun printing.
    const bad = server({ env: { ...server().spec.env, NODE_OPTIONS: '--no-such-node-flag' } });
    const result = await containerProvider.apply(ctxFor(bad), change('update', 'everything', bad));
    assert.equal(result.outcome, 'applied', result.message);
    await waitFor(() => reported.some((r) => r.death.deaths > 1), {
      timeoutMs: 20_000,
      what: 'a coalesced crash-loop report',
    });
    const deaths = reported.reduce((sum, r) => sum + r.death.deaths, 0);
    assert.ok(reported.length < deaths, `${reported.length} reports for ${deaths} deaths`);
    assert.match(reported[0]?.reason ?? '', new RegExp(`^container ${NAME} died \\(exit code 9\\)`));
    const loop = reported.find((r) => r.death.deaths > 1)!;
    assert.match(
      loop.reason,
      new RegExp(
        `^container ${NAME} keeps exiting: died \\d+ times in \\d+ s \\(last: exit code 9\\); last log lines: .*--no-such-node-flag is not allowed`,
      ),
    );
    const found = await observe();
    assert.equal(found.running, true, 'its restart policy keeps it coming back: not drift to recreate');
    assert.ok((found.restarts ?? 0) > 1, `restarts ${found.restarts}`);
    assert.match(
      found.down ?? '',
      new RegExp(
        `^container ${NAME} keeps exiting \\(restarted \\d+ times(; last exit code 9)?\\); last log lines: .*--no-such-node-flag is not allowed`,
      ),
    );
    watcher.close();
    const back = await containerProvider.apply(ctxFor(), change('update', 'everything', server()));
    assert.equal(back.outcome, 'applied', back.message);
    await answersMcp();
  });

  test("a container's own secret is redacted from its log lines, though this process never resolved it", async () => {
    const secret = `leak-${randomBytes(12).toString('hex')}`;
    const leakyName = `mcp-gitops_${ENV}_box_leaky`;
    const image = everythingImage();
    const spec = {
      package: { registryType: 'oci', identifier: image.identifier, version: image.version },
      transport: 'streamable-http',
      port: port + 1,
      secrets: [{ name: 'LEAKY_TOKEN', ref: 'env:SOMEWHERE_ELSE' }],
    };
    const reported: Reported[] = [];
    const watcher = await watch(ctxFor(), reported);
    // Made by hand with the owner labels: the server prints its (secret) argument as it exits.
    await podman([
      'run',
      '-d',
      '--name',
      leakyName,
      '--restart',
      'unless-stopped',
      '--label',
      'io.mcp-gitops.managed-by=mcp-gitops',
      '--label',
      `io.mcp-gitops.environment=${ENV}`,
      '--label',
      'io.mcp-gitops.target=box',
      '--label',
      'io.mcp-gitops.server=leaky',
      '--label',
      `io.mcp-gitops.spec=${JSON.stringify(spec)}`,
      '--env',
      `LEAKY_TOKEN=${secret}`,
      image.ref,
      secret,
    ]);
    await waitFor(() => reported.some((r) => r.server === 'leaky'), {
      timeoutMs: 15_000,
      what: 'the leaky server to be reported',
    });
    const found = await observe('leaky');
    assert.match(found.down ?? '', /Unknown transport: \[REDACTED\]/);
    for (const text of [found.down ?? '', ...reported.map((r) => r.reason)]) {
      assert.ok(!text.includes(secret), `secret in ${text}`);
    }
    assert.ok(reported.some((r) => /Unknown transport: \[REDACTED\]/.test(r.reason)));
    watcher.close();
    // Its restart policy keeps restarting it: a removal can race a restart ("container state
    // improper"), so it is tried a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await podman(['rm', '-f', '-t', '0', leakyName]);
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  });
});
