/**
 * Engine benchmarks (issue 3):
 *  1. `plan` with no changes for 1,000 servers on one client-config target: a generated repo is
 *     reconciled once (setup; verification answered without spawning 1,000 servers), then `plan`
 *     is timed in-process (load + validate + resolve + observe + plan) and as a fresh CLI process.
 *  2. Reconcile-to-verified of the quickstart (real servers, real verification) in a fresh child
 *     process, with that process's peak RSS (the servers it starts are separate processes).
 * Run alone: `node --import tsx bench/engine.ts`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planRun } from '../src/engine/plan-run.js';
import { reconcile } from '../src/engine/reconcile.js';
import { stopServers } from '../src/engine/stop-servers.js';
import { git } from './git.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVERS = Number(process.env.BENCH_ENGINE_SERVERS ?? 1000);

export interface EngineBenchRow {
  name: string;
  value: number;
  unit: 'ms' | 'MB';
  goal?: string;
}

function writeLargeRepo(dir: string): void {
  fs.mkdirSync(path.join(dir, 'servers'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'environments'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'mcp-gitops.yaml'),
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: bench }\nspec:\n  branch: main\n',
  );
  const names: string[] = [];
  for (let i = 0; i < SERVERS; i++) {
    const name = `server-${String(i).padStart(4, '0')}`;
    names.push(name);
    fs.writeFileSync(
      path.join(dir, 'servers', `${name}.yaml`),
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  package: { registryType: npm, identifier: "@example/mcp-${i}", version: "1.${i % 40}.${i % 9}" }\n  transport: stdio\n  env: { LOG_LEVEL: info, DATA_DIR: "{{vars.dataDir}}/${name}" }\n  health: { expectTools: [a], timeoutMs: 5000 }\n`,
    );
  }
  fs.writeFileSync(
    path.join(dir, 'environments', 'dev.yaml'),
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  vars: { dataDir: /var/lib/mcp }\n  targets:\n    - { name: laptop, provider: client-config, clients: [claude-code], projectDir: ~/app, prefetch: false }\n  servers:\n${names.map((n) => `    - name: ${n}\n`).join('')}`,
  );
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bench config');
}

async function benchLargePlan(base: string): Promise<EngineBenchRow[]> {
  const repo = path.join(base, 'large');
  process.env.MCP_GITOPS_HOME = path.join(base, 'home-large');
  writeLargeRepo(repo);
  const setup = await reconcile({
    repoDir: repo,
    deps: { verify: async () => ({ ok: true, health: 'unknown', attempts: 0, durationMs: 0 }) },
  });
  if (setup.failed) {
    const bad = setup.targets.flatMap((t) => t.results.filter((r) => r.outcome !== 'applied'));
    throw new Error(
      `setup reconcile of the generated repo failed: ${JSON.stringify(bad.slice(0, 3))} ${JSON.stringify(setup.plan.targets.map((t) => t.stalled))}`,
    );
  }
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const { plan } = await planRun({ repoDir: repo });
    times.push(performance.now() - start);
    if (plan.summary.create + plan.summary.update + plan.summary.delete + plan.summary.drifted > 0) {
      throw new Error('the benchmark plan was expected to have no changes');
    }
  }
  // The compiled CLI, as an installed copy runs it (not the sources through tsx).
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
  const cliStart = performance.now();
  const cli = spawnSync(process.execPath, [path.join(ROOT, 'bin/mcp-gitops.js'), 'plan', '--repo', repo], {
    env: { ...process.env, CI: '1', MCP_GITOPS_USE_DIST: '1' },
  });
  const cliMs = performance.now() - cliStart;
  if (cli.status !== 0) throw new Error(`plan CLI failed: ${cli.stderr}`);
  return [
    {
      name: `plan, no changes, ${SERVERS} servers, client-config (in-process, first)`,
      value: times[0] ?? 0,
      unit: 'ms',
      goal: '< 1000',
    },
    {
      name: `plan, no changes, ${SERVERS} servers, client-config (in-process, best of 3)`,
      value: Math.min(...times),
      unit: 'ms',
      goal: '< 1000',
    },
    {
      name: `plan, no changes, ${SERVERS} servers (compiled CLI process incl. startup)`,
      value: cliMs,
      unit: 'ms',
    },
  ];
}

async function benchQuickstart(base: string): Promise<EngineBenchRow[]> {
  const repo = path.join(base, 'quickstart');
  const home = path.join(base, 'home-quickstart');
  fs.cpSync(path.join(ROOT, 'examples/quickstart'), repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'quickstart');
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child-reconcile', repo],
    {
      env: { ...process.env, MCP_GITOPS_HOME: home, CI: '1' },
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  try {
    if (child.status !== 0) throw new Error(`quickstart reconcile failed: ${child.stdout}${child.stderr}`);
    const { wallMs, maxRssKb } = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      wallMs: number;
      maxRssKb: number;
    };
    return [
      { name: 'quickstart reconcile to verified (3 changes, real servers)', value: wallMs, unit: 'ms' },
      {
        name: 'quickstart reconcile peak RSS (reconciler process)',
        value: Math.round(maxRssKb / 102.4) / 10,
        unit: 'MB',
      },
    ];
  } finally {
    process.env.MCP_GITOPS_HOME = home;
    await stopServers({ repoDir: repo, providers: ['process'] });
  }
}

/** In the child: one reconcile, then wall time and peak RSS as a JSON line. */
async function childReconcile(repo: string): Promise<void> {
  const start = performance.now();
  const run = await reconcile({ repoDir: repo });
  const wallMs = performance.now() - start;
  if (run.failed) process.exitCode = 1;
  process.stdout.write(`${JSON.stringify({ wallMs, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

export async function benchEngine(): Promise<EngineBenchRow[]> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-engine-'));
  try {
    return [...(await benchLargePlan(base)), ...(await benchQuickstart(base))];
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--child-reconcile');
  if (at >= 0) {
    await childReconcile(process.argv[at + 1] as string);
  } else {
    for (const row of await benchEngine()) {
      console.log(
        `${row.name}: ${row.value.toFixed(row.unit === 'ms' ? 0 : 1)} ${row.unit}${row.goal ? ` (goal ${row.goal} ${row.unit})` : ''}`,
      );
    }
  }
}
