/**
 * Scale (issue 16): the built CLI at 1,000 / 5,000 / 10,000 servers, every figure next to a
 * read+parse floor measured in the same run, in turns with it, so that a busy moment of this
 * shared machine falls on both alike. One table a person can compare across commits.
 *
 * Two generated repos per size (both committed, each with a sandbox HOME):
 *  - "two targets": one environment, a client-config target (2 clients) and a local process
 *    target whose baseDir is a temporary directory (bench/generate-config-repo.ts): `validate`
 *    and `plan` from empty.
 *  - "client-config": one environment, every server stdio on one client-config target with 3
 *    clients: the first `reconcile` (in a child process on the sources, verification answered
 *    without spawning servers, as bench/engine.ts does: the CLI cannot exclude it), then, on what
 *    that wrote, `plan` with no changes and a no-op `reconcile` through the built CLI (no server
 *    is verified again: the report records every one healthy at its spec).
 *  - "process HTTP" (once, at BENCH_SCALE_HTTP servers, default 200): every server
 *    server-everything over streamable HTTP on its own loopback port, on one local process target,
 *    its install already in the target's package cache (the package from node_modules, linked in
 *    with the install marker, as a finished `npm install` leaves it): the first `reconcile`, in a
 *    child as above, verification answered without connecting. Every server it started is killed
 *    by the pids in its directory before the next run. Its floor, in turns with it (each run's
 *    reconcile, then its floor): the same servers started directly from the same install, with
 *    the same arguments, environment and ports, as many at a time as the provider starts them,
 *    each waited for until it listens (bench/fixtures/start-http-servers.mjs), then killed. Each
 *    run prints how many servers listened when the reconcile returned and the CPU the servers
 *    (and the launchers) had used, which the table's CPU (the reconciling child's) leaves out.
 * The floor of the other steps is one node process that reads every YAML file of the repo and
 * parses it with the loader's parser (js-yaml's CommonJS build), started the same way as the CLI.
 * The steps that read a commit's config (plan-empty, plan-nochange, noop-reconcile) run warm, the
 * validated config in the cache (src/config-cache) as every run after the first on a commit finds
 * it, and, in the same turns, cold (`<step> cold`: MCP_GITOPS_CONFIG_CACHE=0), as the first run
 * after a new commit is.
 *
 * Env: BENCH_SCALE_SIZES (default 1000,5000,10000), BENCH_RUNS (default 3), BENCH_SCALE_APPLY_MAX
 * (largest size for the reconcile steps, default 1000), BENCH_SCALE_STEPS (comma list to run a
 * subset: validate, plan-empty, first-reconcile, plan-nochange, noop-reconcile,
 * process-http-reconcile), BENCH_SCALE_HTTP (servers of the process HTTP step, default 200),
 * BENCH_SCALE_CHILD_NODE_ARGS (node options of that step's child, e.g. `--cpu-prof --cpu-prof-dir=D`),
 * BENCH_SCALE_KEEP=1 (keep the generated repos, homes and built CLI for profiling; prints where).
 * Run alone: `node --import tsx bench/scale.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IN_FLIGHT_LOCAL } from '../src/providers/process/process-batch.js';
import { buildCli } from './build-cli.js';
import { generateConfigRepo } from './generate-config-repo.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000,5000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const APPLY_MAX = Number(process.env.BENCH_SCALE_APPLY_MAX ?? 1000);
const STEPS = process.env.BENCH_SCALE_STEPS?.split(',');
const HTTP_SERVERS = Number(process.env.BENCH_SCALE_HTTP ?? 200);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** Extra node options for the process HTTP step's child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` (NODE_OPTIONS refuses --cpu-prof). */
const CHILD_NODE_ARGS = process.env.BENCH_SCALE_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

const FLOOR = `
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { loadAll } = require('js-yaml');
let docs = 0;
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== '.git' && e.name !== 'reports') walk(p); }
    else if (/\\.ya?ml$/.test(e.name)) docs += loadAll(readFileSync(p, 'utf8'), { maxAliases: 0 }).length;
  }
})(process.argv[1]);
if (docs === 0) process.exit(3);
`;

let CLI = '';

interface Sample {
  ms: number;
  cpuS: number;
  rssKb: number;
  stdout?: string;
}
interface Row {
  step: string;
  size: number;
  wall: Sample;
  floor?: Sample;
  goal: string;
}

const wanted = (step: string) => !STEPS || STEPS.includes(step);

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-C', dir, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@x',
    },
  });
}

function commitRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bench config');
}

/** Every server stdio, all on one client-config target with three clients. */
function writeClientConfigRepo(dir: string, servers: number): void {
  fs.mkdirSync(path.join(dir, 'servers'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'environments'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'mcp-gitops.yaml'),
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: bench }\nspec:\n  branch: main\n  policies: [no-plaintext-secrets, pinned-versions, require-health-check]\n',
  );
  const names: string[] = [];
  for (let i = 0; i < servers; i++) {
    const name = `server-${String(i).padStart(5, '0')}`;
    names.push(name);
    fs.writeFileSync(
      path.join(dir, 'servers', `${name}.yaml`),
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name}, labels: { team: team-${i % 7} } }\nspec:\n  package: { registryType: npm, identifier: "@example/mcp-${i}", version: "1.${i % 40}.${i % 9}", packageArguments: ["--data", "{{vars.dataDir}}/${name}"] }\n  transport: stdio\n  env: { LOG_LEVEL: info, DATA_DIR: "{{vars.dataDir}}/${name}" }\n  secrets: [{ name: API_TOKEN, ref: "env:SERVER_${i}_TOKEN" }]\n  health: { expectTools: [tool_a, tool_b], timeoutMs: 5000 }\n`,
    );
  }
  fs.writeFileSync(
    path.join(dir, 'environments', 'dev.yaml'),
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  vars: { dataDir: /var/lib/mcp }\n  targets:\n    - { name: laptop, provider: client-config, clients: [claude-code, cursor, gemini-cli], prefetch: false }\n  servers:\n${names.map((n, i) => `    - name: ${n}${i % 5 === 0 ? '\n      overrides: { env: { LOG_LEVEL: debug } }' : ''}\n`).join('')}`,
  );
  commitRepo(dir);
}

/** Runs argv as a child with /usr/bin/time: wall (ms, measured here), CPU user+sys, peak RSS. */
function timed(argv: string[], env: NodeJS.ProcessEnv): Sample {
  const [cmd, ...args] = TIME ? [TIME, '-f', '%U %S %M', ...argv] : argv;
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd as string, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0)
    throw new Error(
      `${argv.slice(1, 4).join(' ')} exited ${r.status}: ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}`,
    );
  const [user, sys, rss] = TIME ? (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number) : [];
  return { ms, cpuS: (user ?? Number.NaN) + (sys ?? Number.NaN), rssKb: rss ?? Number.NaN, stdout: r.stdout };
}

function median(samples: Sample[]): Sample {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return {
    ms: mid(samples.map((s) => s.ms)),
    cpuS: mid(samples.map((s) => s.cpuS)),
    rssKb: Math.max(...samples.map((s) => s.rssKb)),
    stdout: samples.at(-1)?.stdout,
  };
}

/** One warm-up each, then RUNS turns (a, b, c, a, b, c, ...); the median of each. */
function inTurns(commands: { argv: string[]; env: NodeJS.ProcessEnv }[]): Sample[] {
  for (const c of commands) timed(c.argv, c.env);
  const samples: Sample[][] = commands.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, c] of commands.entries()) samples[i]?.push(timed(c.argv, c.env));
  }
  return samples.map(median);
}

/** A fresh HOME; with `servers`, the secrets their `env:SERVER_<i>_TOKEN` refs name are set. */
function sandbox(base: string, name: string, servers = 0): NodeJS.ProcessEnv {
  const home = path.join(base, name);
  fs.mkdirSync(home, { recursive: true });
  const secrets = Object.fromEntries(
    Array.from({ length: servers }, (_, i) => [`SERVER_${i}_TOKEN`, `t-${i}`]),
  );
  return { ...process.env, ...secrets, HOME: home, MCP_GITOPS_HOME: home, CI: '1', NO_COLOR: '1' };
}

function twoTargetSteps(base: string, size: number): Row[] {
  const repo = path.join(base, `two-${size}`);
  generateConfigRepo(repo, size, {
    environments: ['dev'],
    processTarget: { host: 'local', baseDir: path.join(base, `two-${size}-services`) },
  });
  commitRepo(repo);
  // The secrets set, as where a team plans for real: an unset one is a warning located at its
  // file:line (a second parse of that file), a different run than the one this step measures.
  const env = sandbox(base, `home-two-${size}`, size);
  const floor = { argv: [process.execPath, '-e', FLOOR, repo], env };
  const rows: Row[] = [];
  const steps: [string, string[], string][] = [
    ['validate', ['validate'], size >= 10000 ? '<= 2 s' : ''],
    ['plan-empty', ['plan'], size >= 10000 ? '<= 5 s, <= 250 MiB' : size === 1000 ? '<= 2x floor' : ''],
  ];
  for (const [step, args, goal] of steps) {
    if (!wanted(step)) continue;
    rows.push(...measureStep(step, size, [process.execPath, CLI, ...args, '--repo', repo], env, floor, goal));
  }
  return rows;
}

function clientConfigSteps(base: string, size: number): Row[] {
  const pristine = path.join(base, `cc-${size}`);
  writeClientConfigRepo(pristine, size);
  const rows: Row[] = [];
  let repo = pristine;
  let env = sandbox(base, `home-cc-${size}`, size);
  // Each first reconcile on a fresh copy of the repo and an empty HOME.
  const firsts: Sample[] = [];
  const runs = wanted('first-reconcile') ? RUNS : 1;
  for (let run = 0; run < runs; run++) {
    repo = path.join(base, `cc-${size}-run${run}`);
    fs.cpSync(pristine, repo, { recursive: true });
    // A copy has new inodes and times, so its index no longer vouches for any file (every later
    // plan would read the whole tree for the uncommitted-config check); a clone or checkout writes
    // an index that matches the files it wrote. Refresh it, as `git status` would.
    git(repo, 'update-index', '-q', '--refresh');
    env = sandbox(base, `home-cc-${size}-run${run}`, size);
    const self = fileURLToPath(import.meta.url);
    const child = timed([process.execPath, '--import', 'tsx', self, '--child-first-reconcile', repo], env);
    // The reconcile itself, as the child timed it: not tsx compiling the sources on start.
    firsts.push({ ...child, ms: Number(child.stdout?.trim().split('\n').pop()) });
  }
  if (wanted('first-reconcile'))
    rows.push({ step: 'first-reconcile', size, wall: median(firsts), goal: size === 1000 ? '<= 5 s' : '' });
  const floor = { argv: [process.execPath, '-e', FLOOR, repo], env };
  const steps: [string, string[], string][] = [
    ['plan-nochange', ['plan', '--detailed-exitcode'], size === 1000 ? '<= 1.6x floor' : ''],
    ['noop-reconcile', ['reconcile'], size === 1000 ? '<= 1.8x floor' : ''],
  ];
  for (const [step, args, goal] of steps) {
    if (!wanted(step)) continue;
    const measured = measureStep(
      step,
      size,
      [process.execPath, CLI, ...args, '--repo', repo],
      env,
      floor,
      goal,
    );
    for (const { wall } of measured)
      if (step === 'noop-reconcile' && !/^Reconcile: 0 changed, 0 failed, 0 drifted/m.test(wall.stdout ?? ''))
        throw new Error(`the no-op reconcile changed something: ${wall.stdout?.slice(-1500)}`);
    rows.push(...measured);
  }
  return rows;
}

/** Steps that read a commit's config: also measured with the config cache off (the "cold" row). */
const COLD_STEPS = new Set(['plan-empty', 'plan-nochange', 'noop-reconcile']);

/**
 * The step's row, in turns with the floor; for COLD_STEPS also a `<step> cold` row, in the same
 * turns, with MCP_GITOPS_CONFIG_CACHE=0 (every run reads, parses and validates the commit, as a
 * first run after a new commit does). The warm row's cache entry is written by its warm-up run.
 */
function measureStep(
  step: string,
  size: number,
  argv: string[],
  env: NodeJS.ProcessEnv,
  floor: { argv: string[]; env: NodeJS.ProcessEnv },
  goal: string,
): Row[] {
  if (!COLD_STEPS.has(step)) {
    const [wall, f] = inTurns([{ argv, env }, floor]) as [Sample, Sample];
    return [{ step, size, wall, floor: f, goal }];
  }
  const cold = { argv, env: { ...env, MCP_GITOPS_CONFIG_CACHE: '0' } };
  const [wall, coldWall, f] = inTurns([{ argv, env }, cold, floor]) as [Sample, Sample, Sample];
  return [
    { step, size, wall, floor: f, goal },
    { step: `${step} cold`, size, wall: coldWall, floor: f, goal },
  ];
}

/** Ports free on 127.0.0.1 now, each held until all are found so that none repeats. */
async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

const EVERYTHING = '@modelcontextprotocol/server-everything';

/** Every server server-everything over streamable HTTP, on one local process target under baseDir. */
function writeProcessHttpRepo(dir: string, baseDir: string, version: string, ports: number[]): void {
  fs.mkdirSync(path.join(dir, 'servers'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'environments'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'mcp-gitops.yaml'),
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: bench }\nspec:\n  branch: main\n  policies: [no-plaintext-secrets, pinned-versions, require-health-check]\n',
  );
  const names = ports.map((port, i) => {
    const name = `http-${String(i).padStart(4, '0')}`;
    fs.writeFileSync(
      path.join(dir, 'servers', `${name}.yaml`),
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  package: { registryType: npm, identifier: "${EVERYTHING}", version: "${version}", packageArguments: [streamableHttp] }\n  transport: streamable-http\n  port: ${port}\n  path: /mcp\n  env: { PORT: "${port}" }\n  secrets: [{ name: API_TOKEN, ref: "env:SERVER_${i}_TOKEN" }]\n  health: { expectTools: [echo], timeoutMs: 20000 }\n`,
    );
    return name;
  });
  fs.writeFileSync(
    path.join(dir, 'environments', 'dev.yaml'),
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - { name: procs, provider: process, host: local, baseDir: ${JSON.stringify(baseDir)} }\n  servers:\n${names.map((n) => `    - name: ${n}\n`).join('')}`,
  );
  commitRepo(dir);
}

/** The package cache as a finished install leaves it: the package (linked) and the marker. */
function cacheInstall(baseDir: string, version: string): void {
  const prefix = path.join(baseDir, 'packages', `${EVERYTHING}@${version}`);
  const real = path.dirname(createRequire(import.meta.url).resolve(`${EVERYTHING}/package.json`));
  fs.mkdirSync(path.join(prefix, 'node_modules', '@modelcontextprotocol'), { recursive: true });
  fs.symlinkSync(real, path.join(prefix, 'node_modules', EVERYTHING));
  fs.writeFileSync(path.join(prefix, '.mcp-gitops-installed'), `${EVERYTHING}@${version}\n`);
}

/** User + system CPU seconds a live process has used so far (/proc/<pid>/stat), 0 when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** How many of `ports` a socket listens on now (/proc/net/tcp and tcp6). */
function listeningOn(ports: number[]): number {
  const listening = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A') listening.add(Number.parseInt(f[1]?.split(':').pop() ?? '', 16));
    }
  }
  return ports.filter((port) => listening.has(port)).length;
}

/** SIGKILL to each pid (a negative one: its process group); how many were still there. */
function killAll(pids: number[]): number {
  let killed = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // gone already
    }
  }
  return killed;
}

/**
 * Kills what each server directory's pidfile and launcher state name: launcher first, then the
 * server's group. Returns how many it killed and the CPU seconds the servers and the launchers
 * had used.
 */
function killServers(baseDir: string): { killed: number; serversCpuS: number; launchersCpuS: number } {
  const dir = path.join(baseDir, 'servers', 'dev');
  const result = { killed: 0, serversCpuS: 0, launchersCpuS: 0 };
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const read = (file: string) => {
      try {
        return fs.readFileSync(path.join(dir, name, file), 'utf8');
      } catch {
        return undefined;
      }
    };
    const launcher = Number(read('pid')?.trim()) || undefined;
    let child: number | undefined;
    try {
      child = (JSON.parse(read('state.json') ?? '{}') as { childPid?: number }).childPid ?? undefined;
    } catch {
      child = undefined;
    }
    if (launcher) result.launchersCpuS += cpuSeconds(launcher);
    if (child) result.serversCpuS += cpuSeconds(child);
    result.killed += killAll(
      [launcher, child === undefined ? undefined : -child].filter((p) => !!p) as number[],
    );
  }
  return result;
}

/**
 * The floor of the process HTTP step (bench/fixtures/start-http-servers.mjs): the same servers,
 * program, arguments, environment and ports, started directly IN_FLIGHT_LOCAL at a time (as the
 * provider starts them), each waited for until it listens; then all of them killed.
 */
function httpFloor(
  base: string,
  run: number,
  baseDir: string,
  version: string,
  ports: number[],
  env: NodeJS.ProcessEnv,
): Sample {
  const pkg = path.join(baseDir, 'packages', `${EVERYTHING}@${version}`, 'node_modules', EVERYTHING);
  const bin = (
    JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> }
  ).bin['mcp-server-everything'] as string;
  // What the launcher gives a server: its clean environment (prepare-launch.ts) and the env file.
  const serverEnv = (i: number, port: number) => ({
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: env.HOME,
    LANG: 'C.UTF-8',
    PORT: String(port),
    API_TOKEN: `t-${i}`,
  });
  const spec = path.join(base, `http-floor-run${run}.json`);
  const pids = path.join(base, `http-floor-run${run}.pids`);
  fs.writeFileSync(
    spec,
    JSON.stringify({
      program: path.join(pkg, bin),
      args: ['streamableHttp'],
      inFlight: IN_FLIGHT_LOCAL,
      servers: ports.map((port, i) => ({ port, env: serverEnv(i, port) })),
    }),
  );
  fs.writeFileSync(pids, '');
  const script = fileURLToPath(new URL('./fixtures/start-http-servers.mjs', import.meta.url));
  try {
    return timed([process.execPath, script, spec, pids], env);
  } finally {
    const started = fs.readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number);
    const cpu = started.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const killed = killAll(started.map((pid) => -pid));
    process.stdout.write(
      `process-http floor run ${run}: ${killed} processes stopped; servers' CPU ${cpu.toFixed(1)} s\n`,
    );
  }
}

async function processHttpSteps(base: string): Promise<Row[]> {
  const size = HTTP_SERVERS;
  const version = (
    JSON.parse(
      fs.readFileSync(createRequire(import.meta.url).resolve(`${EVERYTHING}/package.json`), 'utf8'),
    ) as { version: string }
  ).version;
  const samples: Sample[] = [];
  const floors: Sample[] = [];
  const self = fileURLToPath(import.meta.url);
  // In turns: each run's reconcile, then its floor (on ports of its own: none waits for a kill).
  for (let run = 0; run < RUNS; run++) {
    const repo = path.join(base, `http-${size}-run${run}`);
    const baseDir = path.join(base, `http-${size}-run${run}-services`);
    const ports = await freePorts(size);
    writeProcessHttpRepo(repo, baseDir, version, ports);
    cacheInstall(baseDir, version);
    const env = sandbox(base, `home-http-${size}-run${run}`, size);
    let listening = 0;
    try {
      const child = timed(
        [process.execPath, ...CHILD_NODE_ARGS, '--import', 'tsx', self, '--child-first-reconcile', repo],
        env,
      );
      samples.push({ ...child, ms: Number(child.stdout?.trim().split('\n').pop()) });
      // The reconcile does not wait for a server to listen (verification, stubbed here, would).
      listening = listeningOn(ports);
    } finally {
      const { killed, serversCpuS, launchersCpuS } = killServers(baseDir);
      process.stdout.write(
        `process-http run ${run}: ${listening} of ${size} servers listening when it returned; ${killed} processes stopped; servers' CPU ${serversCpuS.toFixed(1)} s, launchers' ${launchersCpuS.toFixed(1)} s\n`,
      );
    }
    floors.push(httpFloor(base, run, baseDir, version, await freePorts(size), env));
  }
  return [
    {
      step: 'process-http-reconcile',
      size,
      wall: median(samples),
      floor: median(floors),
      goal: size === 200 ? '<= 20 s' : '',
    },
  ];
}

/** In the child (sources through tsx): the first reconcile, verification answered without servers. */
async function childFirstReconcile(repo: string): Promise<void> {
  const { reconcile } = await import('../src/engine/reconcile.js');
  const start = performance.now();
  const run = await reconcile({
    repoDir: repo,
    deps: { verify: async () => ({ ok: true, health: 'healthy', attempts: 1, durationMs: 0 }) },
  });
  const ms = performance.now() - start;
  const applied = run.targets.flatMap((t) => t.results).filter((r) => r.outcome === 'applied').length;
  if (run.failed || applied === 0) {
    const { formatRun } = await import('../src/engine/format-run.js');
    process.stderr.write(`first reconcile failed or applied nothing (${applied} applied)\n${formatRun(run)}`);
    process.exitCode = 1;
  }
  process.stdout.write(`${ms}\n`);
}

function printTable(rows: Row[]): void {
  // CPU beside wall: on a machine others share, CPU time is the steadier figure to compare.
  const header = ['step', 'size', 'median wall', '× floor', 'CPU s', '× floor CPU', 'peak RSS MiB', 'goal'];
  const cells = rows.map((r) => [
    r.step,
    String(r.size),
    `${(r.wall.ms / 1000).toFixed(3)} s`,
    r.floor ? `${(r.wall.ms / r.floor.ms).toFixed(2)}x (${(r.floor.ms / 1000).toFixed(3)} s)` : '-',
    r.wall.cpuS.toFixed(2),
    r.floor ? `${(r.wall.cpuS / r.floor.cpuS).toFixed(2)}x (${r.floor.cpuS.toFixed(2)} s)` : '-',
    String(Math.round(r.wall.rssKb / 1024)),
    r.goal,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] as number)).join(' | ')} |`;
  process.stdout.write(
    `\nscale, built CLI, median of ${RUNS} (floor: read + js-yaml parse of the same repo, in turns)\n`,
  );
  process.stdout.write(
    `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`,
  );
  process.stdout.write(
    'first-reconcile, process-http-reconcile: in-process on the sources, verification answered without connecting\n',
  );
  if (rows.some((r) => r.step === 'process-http-reconcile'))
    process.stdout.write(
      "process-http-reconcile: floor = the same servers started directly; CPU = the reconciler's and the floor script's own (the servers' is in the lines per run)\n",
    );
}

async function main(): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-scale-'));
  const rows: Row[] = [];
  try {
    process.stdout.write('building the CLI (scripts/build.mjs) into a private package directory\n');
    CLI = buildCli(base);
    for (const size of SIZES) {
      if (['validate', 'plan-empty'].some(wanted)) rows.push(...twoTargetSteps(base, size));
      if (size <= APPLY_MAX && ['first-reconcile', 'plan-nochange', 'noop-reconcile'].some(wanted))
        rows.push(...clientConfigSteps(base, size));
      process.stdout.write(`done: ${size} servers\n`);
    }
    if (wanted('process-http-reconcile')) rows.push(...(await processHttpSteps(base)));
  } finally {
    if (process.env.BENCH_SCALE_KEEP) process.stdout.write(`kept (BENCH_SCALE_KEEP): ${base}\n`);
    else fs.rmSync(base, { recursive: true, force: true });
  }
  printTable(rows);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--child-first-reconcile');
  if (at >= 0) await childFirstReconcile(process.argv[at + 1] as string);
  else await main();
}
