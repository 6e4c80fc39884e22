/**
 * The steady loop's cost (issue 11): 100 servers — 90 stdio servers registered in a client-config
 * target (each verification starts the server), 10 streamable-HTTP servers run by a local
 * `process` target — every one verified again in a pass, the way `serve --interval` and `watch`
 * do it (reconcile, verifying all). Printed per pass: wall seconds and CPU seconds (this process,
 * and the servers it started), next to a floor measured in turns: the same 100 MCP verifications
 * made directly with the same concurrency, without the reconciler.
 * Then RSS over 100 passes of a smaller repo (10 stdio servers): growth from pass 10 to pass 100.
 * Run alone: `node --import tsx bench/steady-loop.ts` (BENCH_RUNS passes, default 3).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { reconcile } from '../src/engine/reconcile.js';
import { stopServers } from '../src/engine/stop-servers.js';
import { createLogger } from '../src/log/logger.js';
import type { Endpoint } from '../src/providers/types.js';
import { verifyServer } from '../src/verify/verify-server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STDIO = 90;
const HTTP = 10;
const RSS_PASSES = Number(process.env.BENCH_RSS_PASSES ?? 100);
const TINY = fileURLToPath(new URL('./fixtures/tiny-mcp-server.mjs', import.meta.url));
const logger = createLogger({ level: 'silent' });

function writeRepo(
  dir: string,
  home: string,
  baseDir: string,
  stdio: number,
  http: number,
  firstPort: number,
) {
  fs.mkdirSync(path.join(dir, 'servers'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'environments'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'mcp-gitops.yaml'),
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: steady }\nspec:\n  branch: main\n',
  );
  const stdioNames = Array.from({ length: stdio }, (_, i) => `s-${String(i).padStart(3, '0')}`);
  const httpNames = Array.from({ length: http }, (_, i) => `h-${String(i).padStart(3, '0')}`);
  for (const name of stdioNames)
    fs.writeFileSync(
      path.join(dir, 'servers', `${name}.yaml`),
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  command: { path: ${process.execPath}, args: [${TINY}] }\n  transport: stdio\n  health: { expectTools: [ping], timeoutMs: 20000 }\n`,
    );
  for (const [i, name] of httpNames.entries())
    fs.writeFileSync(
      path.join(dir, 'servers', `${name}.yaml`),
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  command: { path: ${process.execPath}, args: [${TINY}, http] }\n  transport: streamable-http\n  port: ${firstPort + i}\n  path: /mcp\n  env: { PORT: "{{server.port}}" }\n  health: { expectTools: [ping], timeoutMs: 20000 }\n`,
    );
  const targets = [
    `    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${home}\n`,
    ...(http > 0 ? [`    - name: vm\n      provider: process\n      baseDir: ${baseDir}\n`] : []),
  ];
  const servers = [
    ...stdioNames.map((n) => `    - name: ${n}\n      targets: [laptop]\n`),
    ...httpNames.map((n) => `    - name: ${n}\n      targets: [vm]\n`),
  ];
  fs.writeFileSync(
    path.join(dir, 'environments', 'dev.yaml'),
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n${targets.join('')}  servers:\n${servers.join('')}`,
  );
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@x',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@x',
  };
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '-A'],
    ['commit', '-q', '-m', 'bench'],
  ])
    execFileSync('git', ['-C', dir, ...args], { env });
  return { stdioNames, httpNames };
}

/** CPU seconds of this process and of the children it waited for (servers started by verification). */
function cpuSeconds(): { self: number; children: number } {
  const u = process.cpuUsage();
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return { self: (u.user + u.system) / 1e6, children: ticks / 100 };
}

async function measure(fn: () => Promise<void>) {
  const c0 = cpuSeconds();
  const t0 = performance.now();
  await fn();
  const c1 = cpuSeconds();
  return {
    wall: (performance.now() - t0) / 1000,
    self: c1.self - c0.self,
    children: c1.children - c0.children,
  };
}

/** The same verifications made directly: 4 at a time per target, as a pass does. */
async function floorPass(endpoints: Endpoint[][]): Promise<void> {
  await Promise.all(
    endpoints.map(async (list) => {
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < list.length; i = next++) {
          const r = await verifyServer(list[i]!, { expectTools: ['ping'], timeoutMs: 20_000 });
          if (!r.ok) throw new Error(`floor: ${r.error}`);
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    }),
  );
}

v8.setFlagsFromString('--expose-gc');
/** A full collection before a memory sample: what is still referenced, not what V8 has yet to free. */
const gc = vm.runInNewContext('gc') as () => void;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-steady-'));
process.env.MCP_GITOPS_HOME = path.join(base, 'home');
fs.mkdirSync(process.env.MCP_GITOPS_HOME);
const firstPort = 47000 + Math.floor(Math.random() * 2000);

try {
  const repo = path.join(base, 'repo');
  const { stdioNames, httpNames } = writeRepo(
    repo,
    process.env.MCP_GITOPS_HOME,
    path.join(base, 'vm'),
    STDIO,
    HTTP,
    firstPort,
  );
  const setup = await reconcile({ repoDir: repo, deps: { logger } });
  if (setup.failed) throw new Error('setup reconcile failed');
  const endpoints: Endpoint[][] = [
    stdioNames.map(() => ({ kind: 'stdio', command: process.execPath, args: [TINY], env: {} })),
    httpNames.map((_, i) => ({ kind: 'http', url: `http://127.0.0.1:${firstPort + i}/mcp` })),
  ];
  const passes: Awaited<ReturnType<typeof measure>>[] = [];
  const floors: Awaited<ReturnType<typeof measure>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    passes.push(
      await measure(async () => {
        const run = await reconcile({ repoDir: repo, recheck: 'all', deps: { logger } });
        const verified = run.targets.reduce((n, t) => n + t.verified.size, 0);
        if (run.failed || verified < STDIO + HTTP) throw new Error(`pass verified ${verified}`);
      }),
    );
    floors.push(await measure(() => floorPass(endpoints)));
  }
  const row = (label: string, xs: typeof passes) =>
    `  ${label.padEnd(34)} wall ${median(xs.map((x) => x.wall)).toFixed(2)} s   CPU ${median(xs.map((x) => x.self)).toFixed(2)} s here + ${median(xs.map((x) => x.children)).toFixed(2)} s in servers`;
  process.stdout.write(
    [
      `steady-loop pass, ${STDIO} stdio (client-config) + ${HTTP} HTTP (process) servers, all verified (median of ${RUNS}, in turns)`,
      row('pass (reconcile, verify all)', passes),
      row('floor: the same verifications', floors),
      `  overhead                           ${(median(passes.map((x) => x.wall)) / median(floors.map((x) => x.wall))).toFixed(2)}x wall`,
      '',
    ].join('\n'),
  );
  await stopServers({ repoDir: repo, providers: ['process'] });

  // RSS over many passes of a small repo.
  const small = path.join(base, 'small');
  writeRepo(small, process.env.MCP_GITOPS_HOME, path.join(base, 'vm-small'), 10, 0, firstPort + 100);
  await reconcile({ repoDir: small, deps: { logger } });
  const sample = () => {
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed };
  };
  let at10 = sample();
  let raw10 = 0;
  let rawEnd = 0;
  for (let i = 1; i <= RSS_PASSES; i++) {
    await reconcile({ repoDir: small, recheck: 'all', deps: { logger } });
    if (i === 10) {
      raw10 = process.memoryUsage().rss;
      at10 = sample();
    }
    if (i === RSS_PASSES) rawEnd = process.memoryUsage().rss;
  }
  const end = sample();
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)}%`;
  process.stdout.write(
    [
      `steady-loop memory over ${RSS_PASSES} passes (10 stdio servers), pass 10 → pass ${RSS_PASSES}:`,
      `  RSS after a full GC  ${mib(at10.rss)} → ${mib(end.rss)} (${pct(at10.rss, end.rss)}; goal under 10%)`,
      `  V8 heap in use       ${mib(at10.heap)} → ${mib(end.heap)} (${pct(at10.heap, end.heap)})`,
      `  RSS as found (no GC) ${mib(raw10)} → ${mib(rawEnd)} (${pct(raw10, rawEnd)})`,
      '',
    ].join('\n'),
  );
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
