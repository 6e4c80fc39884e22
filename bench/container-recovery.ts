/**
 * Container death → detection → answering MCP again (issue 11), on a real podman service with the
 * offline server-everything image, next to a floor measured in the same run: a fresh container's
 * time from apply (create + start) to answering MCP.
 *
 * - crash: the server process is killed from the host (SIGKILL): the events watcher reports it,
 *   the restart policy (unless-stopped) starts it again.
 * - podman kill: Podman treats it as a stop by the user, so its restart policy does not apply:
 *   the watcher reports it and the repair is the provider's update, started at once on the report
 *   (what the steady loop does on `sync.drift: correct`).
 *
 * "Answering" is an MCP handshake + tools/list, tried every 25 ms. Run alone:
 * `node --import tsx bench/container-recovery.ts` (BENCH_RECOVERY_RUNS, default 5).
 */
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { containerProvider } from '../src/providers/container/index.js';
import { watchContainerDeaths } from '../src/providers/container/watch-deaths.js';
import { tempDir } from '../test/helpers/mcp-servers.js';
import {
  containerPid,
  ensureEverythingImage,
  podman,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../test/helpers/podman.js';
import { change, containerContext, everythingServer } from '../test/providers/container/fixtures.js';

const RUNS = Number(process.env.BENCH_RECOVERY_RUNS ?? 5);
const ENV = 'cbench';
const NAME = `mcp-gitops_${ENV}_box_everything`;

async function answeringAfter(port: number, since: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ name: 'bench', version: '1' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
      await client.listTools();
      return performance.now() - since;
    } catch {
      if (Date.now() > deadline) throw new Error(`not answering MCP after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
}

const cleanups: (() => unknown)[] = [];
await ensureEverythingImage();
const service = await startPodmanService();
try {
  const home = await tempDir({ after: (fn: () => unknown) => cleanups.push(fn) } as never);
  const port = await uncommonPort();
  const desired = everythingServer('everything', port);
  const ctx = containerContext({ home, socket: service.socket, environment: ENV, servers: [desired] });

  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`);
    const t0 = performance.now();
    const result = await containerProvider.apply(ctx, change('create', 'everything', desired));
    if (result.outcome !== 'applied') throw new Error(result.message);
    floor.push(await answeringAfter(port, t0));
  }

  let deathAt = 0;
  let detectedAt = 0;
  const watcher = watchContainerDeaths(
    ctx,
    () => {
      detectedAt = performance.now();
    },
    { coalesceMs: 1 },
  );
  cleanups.push(() => watcher.close());
  await watcher.ready;
  const until = async (check: () => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the death report');
      await new Promise((r) => setTimeout(r, 2));
    }
  };

  const crash = { detect: [] as number[], answer: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const pid = await containerPid(NAME);
    detectedAt = 0;
    deathAt = performance.now();
    process.kill(pid, 'SIGKILL');
    await until(() => detectedAt > 0);
    crash.detect.push(detectedAt - deathAt);
    crash.answer.push(await answeringAfter(port, deathAt));
  }

  const killed = { detect: [] as number[], answer: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    detectedAt = 0;
    deathAt = performance.now();
    await podman(['kill', NAME]);
    await until(() => detectedAt > 0);
    killed.detect.push(detectedAt - deathAt);
    const repaired = await containerProvider.apply(ctx, {
      ...change('update', 'everything', desired),
      reason: 'drift',
    });
    if (repaired.outcome !== 'applied') throw new Error(repaired.message);
    killed.answer.push(await answeringAfter(port, deathAt));
    // Let the coalescing window of this server close before the next death.
    await new Promise((r) => setTimeout(r, 50));
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const max = (xs: number[]) => Math.max(...xs);
  const row = (label: string, xs: number[], note = '') =>
    process.stdout.write(
      `  ${label.padEnd(40)} ${median(xs).toFixed(0).padStart(6)} ${max(xs).toFixed(0).padStart(6)}${note ? `  ${note}` : ''}\n`,
    );
  process.stdout.write(`container recovery on podman, ${RUNS} runs (ms: median, max):\n`);
  row('floor: fresh container apply → answering', floor);
  row('crash (SIGKILL) → watcher reports it', crash.detect, 'goal < 1000');
  row('crash → answering again (restart policy)', crash.answer, 'goal < 10000 + start-up');
  row('podman kill → watcher reports it', killed.detect, 'goal < 1000');
  row('podman kill → answering again (repair)', killed.answer, 'goal < 10000 + start-up');
} finally {
  for (const fn of cleanups.reverse()) await fn();
  await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
  await service.stop();
}
