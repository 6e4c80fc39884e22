/**
 * Recovery of a `process` server (issue 11): server-everything runs under start-stop-daemon and
 * the launcher; its server process is killed (SIGKILL) and the bench times, from the kill, when
 * the launcher noticed (the exit event it records in state.json), when the restart began, and
 * when the server answered MCP (handshake + tools/list) again. Next to them, the floor measured in
 * the same run: the server's own cold start to answering, started as the launcher starts it.
 * Every run is a fresh start (a new launcher: backoff starts at its first step). Run alone:
 * `node --import tsx bench/process-recovery.ts` (BENCH_RECOVERY_RUNS, default 5).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processProvider } from '../src/providers/process/index.js';
import type { Endpoint } from '../src/providers/types.js';
import { listToolsOnce } from '../src/verify/list-tools-once.js';
import { freePort, serverVersion, stopProcess } from '../test/helpers/mcp-servers.js';
import {
  change,
  childPidOf,
  desiredServer,
  killServer,
  launcherState,
  processContext,
} from '../test/providers/process/fixtures.js';

const RUNS = Number(process.env.BENCH_RECOVERY_RUNS ?? 5);
const POLL_MS = 10;
const home = mkdtempSync(join(tmpdir(), 'mcpgt-bench-recovery-'));
const baseDir = join(home, 'mcp');
const ctx = processContext({ home, settings: { baseDir, supervisor: 'start-stop-daemon' } });

async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const answers = (endpoint: Endpoint) => () =>
  listToolsOnce(endpoint, 2000).then(
    ({ tools }) => (tools.length > 0 ? Date.now() : undefined),
    () => undefined,
  );

const everything = (port: number) =>
  desiredServer('everything', {
    package: {
      registryType: 'npm',
      identifier: '@modelcontextprotocol/server-everything',
      version: serverVersion('everything'),
      packageArguments: ['streamableHttp'],
    },
    transport: 'streamable-http',
    port,
    path: '/mcp',
    env: { PORT: String(port) },
  });

/** The server's own cold start, as the launcher starts it (node --require launcher.cjs BIN). */
async function coldStart(bin: string): Promise<number> {
  const port = await freePort();
  const started = Date.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', join(baseDir, 'lib', 'launcher.cjs'), bin, 'streamableHttp'],
    {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), MCP_GITOPS_LISTEN_HOST: '127.0.0.1' },
      stdio: 'ignore',
    },
  );
  try {
    const endpoint: Endpoint = { kind: 'http', url: `http://127.0.0.1:${port}/mcp` };
    return (await until(answers(endpoint), 'the cold server to answer')) - started;
  } finally {
    await stopProcess(child.pid!);
  }
}

interface Row {
  noticed: number;
  restarted: number;
  answering: number;
  floor: number;
}

const rows: Row[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const port = await freePort();
    const desired = everything(port);
    const applied = await processProvider.apply(ctx, change('create', 'everything', desired));
    if (applied.outcome !== 'applied') throw new Error(applied.message);
    const endpoint = (await processProvider.endpoint(ctx, desired)) as Endpoint;
    await until(answers(endpoint), 'the server to answer');
    const child = childPidOf(baseDir, 'everything') as number;
    const killed = Date.now();
    process.kill(child, 'SIGKILL');
    const exit = await until(() => {
      const last = launcherState(baseDir, 'everything')?.lastExit;
      return last?.pid === child ? last : undefined;
    }, 'the launcher to notice');
    const respawned = await until(() => {
      const state = launcherState(baseDir, 'everything');
      return state?.childPid && state.childPid !== child ? (state.childStartedAt ?? undefined) : undefined;
    }, 'the restart');
    const answered = await until(answers(endpoint), 'the restarted server to answer');
    const floor = await coldStart(
      join(
        baseDir,
        'packages',
        `@modelcontextprotocol/server-everything@${serverVersion('everything')}`,
        'node_modules/@modelcontextprotocol/server-everything/dist/index.js',
      ),
    );
    rows.push({
      noticed: exit.at - killed,
      restarted: respawned - killed,
      answering: answered - killed,
      floor,
    });
    await processProvider.apply(ctx, change('delete', 'everything'));
  }
  const stat = (pick: (r: Row) => number) => {
    const xs = rows.map(pick).sort((a, b) => a - b);
    const median = xs[Math.floor(xs.length / 2)] ?? Number.NaN;
    return `${String(Math.round(median)).padStart(6)} / ${String(Math.round(xs.at(-1) ?? Number.NaN)).padStart(6)}`;
  };
  const line = (label: string, pick: (r: Row) => number, note: string) =>
    process.stdout.write(`  ${label.padEnd(34)} ${stat(pick)}  ${note}\n`);
  process.stdout.write(
    `process recovery: server-everything under start-stop-daemon + launcher, SIGKILL, ${RUNS} runs (median / max, ms):\n`,
  );
  line('death → launcher noticed', (r) => r.noticed, 'goal < 1000');
  line('death → restart began', (r) => r.restarted, '(first backoff step 250 ms)');
  line('death → answering MCP again', (r) => r.answering, 'goal < 10000 plus start-up');
  line('floor: cold start → answering MCP', (r) => r.floor, "(the server's own start-up, same run)");
} finally {
  killServer(baseDir, 'everything');
  rmSync(home, { recursive: true, force: true });
}
