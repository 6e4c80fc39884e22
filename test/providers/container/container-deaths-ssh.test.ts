/**
 * The events watcher on an `ssh://` container host: a real sshd on 127.0.0.1 is the host and a
 * real `podman system service` socket its engine, reached only through the unix socket the host's
 * ssh control master forwards. A crash is reported through that forward; when the master goes away
 * (taking the stream with it) the watcher listens again on a new one and still reports the next
 * death, even one that happened while it was away; the restart policy brings the server back and
 * it answers MCP through a forwarded port.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createHost } from '../../../src/hosts/create-host.js';
import type { SshHost } from '../../../src/hosts/ssh/ssh-host.js';
import { containerProvider } from '../../../src/providers/container/index.js';
import { watchContainerDeaths } from '../../../src/providers/container/watch-deaths.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { tempDir, waitFor } from '../../helpers/mcp-servers.js';
import {
  containerPid,
  ensureEverythingImage,
  type PodmanService,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';
import { type Sshd, startSshd } from '../../helpers/sshd.js';
import { change, containerContext, everythingServer } from './fixtures.js';

requireTools('podman', 'sshd', 'ssh');

const ENV = 'cdssh';
const NAME = `mcp-gitops_${ENV}_box_everything`;

describe('the death watcher on an ssh container host (real sshd and podman)', { timeout: 240_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  let service: PodmanService;
  let sshd: Sshd;
  let host: SshHost;
  let ctx: ProviderContext;
  let port: number;
  const server = () => everythingServer('everything', port, { health: { expectTools: ['echo'] } });
  const answersMcp = async () => {
    const verified = await verifyServer((await containerProvider.endpoint(ctx, server()))!, {
      expectTools: ['echo'],
      timeoutMs: 20_000,
    });
    assert.equal(verified.health, 'healthy', verified.error);
  };

  before(async () => {
    await ensureEverythingImage();
    service = await startPodmanService();
    sshd = await startSshd();
    port = await uncommonPort();
    const home = await tempDir({ after: (fn) => cleanups.push(fn) });
    host = createHost({
      name: 'box',
      host: sshd.url,
      identityFile: { ref: `file:${sshd.identityFile}` },
      knownHosts: sshd.knownHosts,
    }) as SshHost;
    ctx = containerContext({
      home,
      socket: service.socket,
      environment: ENV,
      settings: { host: sshd.url },
      servers: [server()],
      host,
    });
    const result = await containerProvider.apply(ctx, change('create', 'everything', server()));
    assert.equal(result.outcome, 'applied', result.message);
    await answersMcp();
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
    await host?.close();
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
    await sshd?.stop();
    await service?.stop();
  });

  test('a crash is reported through the forwarded socket, and again after the ssh master is gone', async () => {
    const reported: string[] = [];
    const errors: string[] = [];
    const watcher = watchContainerDeaths(ctx, (s, reason) => reported.push(`${s}: ${reason}`), {
      onError: (reason) => errors.push(reason),
    });
    cleanups.push(() => watcher.close());
    let ready = false;
    void watcher.ready.then(() => {
      ready = true;
    });
    await waitFor(() => ready, { timeoutMs: 30_000, what: 'the watcher to listen through ssh' });

    process.kill(await containerPid(NAME), 'SIGKILL');
    await waitFor(() => reported.length > 0, { timeoutMs: 15_000, what: 'the crash to be reported' });
    assert.match(reported[0] ?? '', new RegExp(`^everything: container ${NAME} died \\(exit code 137\\)`));
    await answersMcp();

    // The control master goes away, and the stream with it; the server dies meanwhile.
    const controlPath = host.controlPath;
    assert.ok(controlPath, 'a multiplexed session is open');
    const exit = spawnSync('ssh', ['-S', controlPath, '-O', 'exit', 'mcp-gitops-test'], { timeout: 10_000 });
    assert.equal(exit.status, 0, exit.stderr?.toString());
    process.kill(await containerPid(NAME), 'SIGKILL');
    await waitFor(() => reported.length > 1, {
      timeoutMs: 30_000,
      what: 'the second crash to be reported after the master went away',
    });
    assert.match(reported[1] ?? '', new RegExp(`^everything: container ${NAME} died \\(exit code 137\\)`));
    assert.ok(
      errors.some((e) => /listening again/.test(e)),
      `the lost stream was noticed: ${errors.join('; ')}`,
    );
    await answersMcp();
    watcher.close();
  });
});
