/**
 * The fleet hub's cost (issue 15, `npm run bench`), against an in-process hub — `serve --fleet`'s
 * own wiring (createServeFleet: routes, rollouts, release bundle source, aggregates, with the
 * commit counted instead of pushed) on serve's own HTTP app, with protocol-only simulated agents (bench/fleet-sim.ts) that enrol with real tokens and
 * sign every request:
 * 1. hub cost per check-in: 1,000 signed report POSTs from 100 agents, CPU µs per request and RSS
 *    growth, next to a floor: the same requests to a route that only reads the body. The client
 *    (this process) costs the same in both, so the difference is the hub's own work. Check-ins
 *    that change nothing must make no aggregate commit.
 * 2. time for a change to reach 100 agents through three waves (10 %, 50 %, 100 %): the agents
 *    poll every POLL_MS and report in sync when their bundle changes; the rollout advances on those
 *    reports. Time is from the release to the last agent holding the new digest.
 * Run alone: `node --import tsx bench/fleet.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { TargetSpec } from '../src/core/resources.js';
import type { FleetAggregate } from '../src/fleet/aggregate/aggregate.js';
import { bundleDigest } from '../src/fleet/bundle/bundle-target.js';
import { fleetDirOf } from '../src/fleet/hub/create-fleet-hub.js';
import { createServeFleet } from '../src/fleet/hub/serve-fleet.js';
import { createToken } from '../src/fleet/hub/tokens.js';
import type { FleetRelease } from '../src/fleet/rollout/types.js';
import { createLogger } from '../src/log/logger.js';
import { hashNormalized, normalizeServerSpec } from '../src/resolve/normalize-server.js';
import { createServeApp } from '../src/serve/create-serve-app.js';
import { readBody } from '../src/serve/read-body.js';
import { closeConnections, type PreparedRequest, SimAgent, send } from './fleet-sim.js';

const AGENTS = Number(process.env.BENCH_FLEET_AGENTS ?? 100);
const CHECKINS = Number(process.env.BENCH_FLEET_CHECKINS ?? 1_000);
const CONCURRENCY = 16;
const POLL_MS = Number(process.env.BENCH_FLEET_POLL_MS ?? 200);
const TARGET = 'laptops';
const FLOOR_PATH = '/bench/floor';

function release(level: string, revision: string, waves: number[]): FleetRelease {
  const settings = {
    name: TARGET,
    provider: 'client-config',
    host: 'local',
    clients: ['claude-code'],
  } as TargetSpec;
  const spec = normalizeServerSpec({
    command: { path: '/usr/bin/node', args: ['/opt/server-memory/dist/index.js'] },
    transport: 'stdio',
    env: { LEVEL: level },
    secrets: [{ name: 'CANARY_TOKEN', ref: 'env:CANARY_TOKEN' }],
  } as Parameters<typeof normalizeServerSpec>[0]);
  const servers = [{ name: 'memory', spec, specHash: hashNormalized(spec) }];
  return {
    environment: 'bench',
    target: TARGET,
    revision,
    selector: { team: 'platform' },
    rollout: { waves, pauseOnFailure: true, minHealthy: 1 },
    sync: { drift: 'correct', prune: false, suspend: false },
    bundleTarget: { name: TARGET, settings, servers, digest: bundleDigest(settings, servers) },
  };
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** CPU (µs, this whole process), wall (ms) and RSS growth (bytes) of sending `requests` to `path`. */
async function measure(url: string, requests: PreparedRequest[], path: string, expect: number) {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let wrong = 0;
  await inPool(requests, CONCURRENCY, async (r) => {
    const res = await send(url, 'POST', path, r.headers, r.body);
    if (res.status !== expect) wrong++;
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await fleet.idle();
  if (wrong > 0)
    throw new Error(`${wrong} of ${requests.length} POSTs to ${path} were not answered ${expect}`);
  const rssGrowth = process.memoryUsage().rss - rss0;
  gc();
  return {
    cpuUs: cpu.user + cpu.system,
    wallMs,
    rssGrowth,
    heapGrowth: process.memoryUsage().heapUsed - heap0,
  };
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-fleet-'));
const logger = createLogger({ level: 'silent' });
/** What serve would commit: counted, to show that check-ins that change nothing commit nothing. */
const commits: FleetAggregate[][] = [];
const fleet = createServeFleet({
  stateDir: base,
  logger,
  staleAfterMs: 3_600_000,
  rateLimits: { addressPerSecond: 1e6, addressBurst: 1e6, machinePerSecond: 1e6, machineBurst: 1e6 },
  commitAggregates: async (aggregates) => {
    commits.push(aggregates);
  },
  aggregateDebounceMs: 100,
});
const rollouts = fleet.rollouts();
const app = createServeApp({ logger, routes: fleet.extension.routes ?? [] });
app.addRoute({
  method: 'POST',
  path: FLOOR_PATH,
  async handle(req, res) {
    const body = await readBody(req, 256 * 1024, { idleMs: 10_000, deadlineMs: 30_000 });
    res.writeHead(Buffer.isBuffer(body) ? 204 : 400);
    res.end();
  },
});
const { url } = await app.listen('127.0.0.1', 0);
let running = true;

try {
  const fleetDir = fleetDirOf(base);
  const agents: SimAgent[] = [];
  await inPool([...Array(AGENTS).keys()], 8, async (i) => {
    const token = createToken(fleetDir, {
      environment: 'bench',
      labels: { team: 'platform' },
      expiresAt: Date.now() + 3_600_000,
    });
    agents.push(await SimAgent.enroll(url, token, i));
  });
  const v1 = release('v1', 'rev-1', [0.1, 0.5, 1]);
  rollouts.release([v1], Date.now());
  await inPool(agents, CONCURRENCY, async (a) => {
    await a.pull();
    await a.report();
  });

  // 1. Cost per check-in: the floor first, each after a warm-up of its own path.
  const prepare = (n: number) =>
    Array.from({ length: n }, (_, i) => agents[i % agents.length]!.prepareReport());
  await measure(url, prepare(200), FLOOR_PATH, 204);
  const floor = await measure(url, prepare(CHECKINS), FLOOR_PATH, 204);
  await measure(url, prepare(200), '/fleet/v1/report', 204);
  await fleet.idle();
  const commitsBefore = commits.length;
  const hubRun = await measure(url, prepare(CHECKINS), '/fleet/v1/report', 204);
  await fleet.idle();
  const checkinCommits = commits.length - commitsBefore;
  const per = (x: number) => (x / CHECKINS).toFixed(0);
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  const kib = (b: number) => (b / 1024).toFixed(0);
  console.log(
    `check-ins: ${CHECKINS} signed reports from ${AGENTS} agents, ${CONCURRENCY} at a time, keep-alive`,
  );
  console.log(
    `  floor (read body only): ${per(floor.cpuUs)} µs CPU per POST, ${(floor.wallMs / 1000).toFixed(2)} s, RSS +${mib(floor.rssGrowth)} MiB, heap after GC +${kib(floor.heapGrowth)} KiB`,
  );
  console.log(
    `  hub (verify, validate, record, rollout): ${per(hubRun.cpuUs)} µs CPU per check-in, ${(hubRun.wallMs / 1000).toFixed(2)} s, RSS +${mib(hubRun.rssGrowth)} MiB, heap after GC +${kib(hubRun.heapGrowth)} KiB`,
  );
  console.log(`  hub's own cost: ${per(hubRun.cpuUs - floor.cpuUs)} µs CPU per check-in over the floor`);
  console.log(`  (CPU is this process: client and hub; the client's share is the same in both runs)`);
  console.log(`  aggregate commits during those check-ins (nothing changed): ${checkinCommits}`);
  if (checkinCommits !== 0) throw new Error('check-ins that change no aggregate made a commit');

  // 2. A change through three waves to every agent.
  const v2 = release('v2', 'rev-2', [0.1, 0.5, 1]);
  const target = v2.bundleTarget.digest;
  const reached: number[] = [];
  const holding = () => agents.filter((a) => a.digestOf(TARGET) === target).length;
  let pulls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const loops = agents.map(async (a, i) => {
    await new Promise((r) => setTimeout(r, (i * POLL_MS) / agents.length)); // agents are not in step
    while (running) {
      pulls++;
      if (await a.pull()) await a.report();
      const n = holding();
      while (reached.length < n) reached.push(performance.now() - t0);
      if (n === agents.length) running = false;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  });
  rollouts.release([v2], Date.now());
  const timeout = setTimeout(() => {
    running = false;
  }, 120_000);
  await Promise.all(loops);
  clearTimeout(timeout);
  if (reached.length < agents.length) {
    throw new Error(
      `the change reached ${reached.length} of ${agents.length} agents in 120 s: ${JSON.stringify(rollouts.status())}`,
    );
  }
  const at = (n: number) => `${(reached[n - 1]! / 1000).toFixed(2)} s`;
  const w0 = Math.ceil(0.1 * AGENTS);
  const w1 = Math.ceil(0.5 * AGENTS);
  console.log(
    `a change to ${AGENTS} agents through waves 10% / 50% / 100% (agents poll every ${POLL_MS} ms):`,
  );
  console.log(
    `  wave 0: ${w0} agents at ${at(w0)}; wave 1: ${w1} at ${at(w1)}; all ${AGENTS} at ${at(AGENTS)}`,
  );
  const cpu = process.cpuUsage(cpu0);
  await fleet.idle();
  console.log(
    `  rollout: ${rollouts.statusOf('bench', TARGET)?.state}; ${pulls} bundle pulls, ${((cpu.user + cpu.system) / pulls).toFixed(0)} µs CPU per pull (client and hub)`,
  );
} finally {
  running = false;
  closeConnections();
  await fleet.stop();
  await app.close();
  fs.rmSync(base, { recursive: true, force: true });
}
