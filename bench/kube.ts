/**
 * Plan and no-op reconcile of 200 servers on one `kubernetes` target (issue 17), through the real
 * CLI on a real git config repo against a real kube-apiserver + etcd (test/helpers/kube-apiserver.ts;
 * no kubelet, so Deployments are stored, never run). Each is printed next to floors measured in
 * the same run: one LIST of the namespace's Deployments and Services through the same client
 * library (what observe must do at least), and the CLI's `validate` of the same repo (process
 * start, config load, schema and checks: what every command pays before touching a target), and
 * loading @kubernetes/client-node in a fresh process (what plan pays on top for the client).
 * Every CLI step and floor runs the BUILT CLI (bench/build-cli.ts), as users run it, not tsx.
 * Repeatable steps report the median of BENCH_RUNS (default 3) runs.
 * Run alone: `node --import tsx bench/kube.ts` (BENCH_KUBE_SERVERS, default 200; BENCH_KUBE_CPU_PROF=DIR
 * writes a --cpu-prof of each CLI step into DIR).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { connectKube } from '../src/kube/connect.js';
import { startKubeApiServer } from '../test/helpers/kube-apiserver.js';
import { createTempRepo } from '../test/helpers/temp-repo.js';
import { environmentYaml, REPOSITORY, serverYaml } from '../test/providers/kubernetes/kube-repo.js';
import { buildCli, runBuiltCli } from './build-cli.js';

const SERVERS = Number(process.env.BENCH_KUBE_SERVERS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NS = 'bench';
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-kube-bench-'));
const CLI_ENV = { MCP_GITOPS_HOME: path.join(base, 'home'), KUBERNETES_SERVICE_HOST: '' };
const PROF = process.env.BENCH_KUBE_CPU_PROF;
const CLI = buildCli(base);
const api = await startKubeApiServer({ dir: base });
const repo = createTempRepo('mcp-gitops-kube-bench-repo-');
const rows: { what: string; ms: number; note: string }[] = [];

/** Runs `fn` `runs` times and records the median: this machine is shared, one sample is noise. */
async function timed<T>(what: string, note: string, fn: () => Promise<T>, runs = 1): Promise<T> {
  const samples: number[] = [];
  let out: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    out = await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const ms = samples[Math.floor(samples.length / 2)] as number;
  rows.push({ what, ms, note: runs > 1 ? `${note} (median of ${runs})` : note });
  return out as T;
}

async function cliOk(args: string[], expect: number[] = [0]) {
  const prof = PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${PROF}`, `--cpu-prof-name=${args[0]}-${Date.now()}.cpuprofile`]
    : [];
  const res = await runBuiltCli(CLI, args, CLI_ENV, 900_000, prof);
  if (!expect.includes(res.code))
    throw new Error(`mcp-gitops ${args[0]} exited ${res.code}\n${res.stdout}${res.stderr}`);
  return res;
}

try {
  const admin = connectKube({ kubeconfig: api.adminKubeconfig });
  await admin.core.createNamespace({ body: { metadata: { name: NS } } });
  const names = Array.from({ length: SERVERS }, (_, i) => `srv-${String(i).padStart(3, '0')}`);
  repo.write('mcp-gitops.yaml', REPOSITORY);
  names.forEach((name, i) => {
    repo.write(`servers/${name}.yaml`, serverYaml(name, 20000 + i));
  });
  repo.write(
    'environments/bench.yaml',
    environmentYaml('bench', { kubeconfig: api.adminKubeconfig, namespace: NS }, names, { maxDeletions: 1 }),
  );
  repo.commitAll(`${SERVERS} servers on a cluster`);

  await timed(`reconcile: create ${SERVERS}`, 'server-side apply of a Deployment + Service each', () =>
    cliOk(['reconcile', '--repo', repo.dir]),
  );
  const listFloor = async () => {
    const [d, s] = await Promise.all([
      admin.apps.listNamespacedDeployment({ namespace: NS }),
      admin.core.listNamespacedService({ namespace: NS }),
    ]);
    if (d.items.length !== SERVERS || s.items.length !== SERVERS) throw new Error('objects missing');
  };
  await listFloor(); // warm the connection, as observe's first call is in a fresh process anyway
  await timed(
    'floor: LIST deployments + services',
    `${SERVERS} + ${SERVERS} objects, one client, in-process`,
    listFloor,
    RUNS,
  );
  await timed(
    'floor: validate (CLI)',
    'process start + config load + checks',
    () => cliOk(['validate', '--repo', repo.dir]),
    RUNS,
  );
  await timed(
    'floor: load @kubernetes/client-node',
    'a fresh node process importing the client library',
    async () => {
      const res = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', "await import('@kubernetes/client-node')"],
        {
          cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'),
        },
      );
      if (res.status !== 0) throw new Error(`import failed: ${res.stderr}`);
    },
    RUNS,
  );
  const headBefore = repo.git('rev-parse', 'HEAD');
  const plan = await timed(
    `plan: ${SERVERS} in sync`,
    'CLI: observe (2 LISTs) + render + diff',
    () => cliOk(['plan', '--repo', repo.dir, '--detailed-exitcode']),
    RUNS,
  );
  if (!plan.stdout.startsWith('No changes.'))
    throw new Error(`plan is not empty:\n${plan.stdout.slice(0, 2000)}`);
  await timed(
    `reconcile: no-op, ${SERVERS} servers`,
    'CLI: nothing applied',
    () => cliOk(['reconcile', '--repo', repo.dir]),
    RUNS,
  );
  if (repo.git('rev-parse', 'HEAD') !== headBefore) throw new Error('the no-op reconcile committed');

  const width = Math.max(...rows.map((r) => r.what.length));
  process.stdout.write(`kubernetes target, ${SERVERS} servers, real kube-apiserver on loopback\n`);
  for (const r of rows) {
    process.stdout.write(`${r.what.padEnd(width)}  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.note}\n`);
  }
  const ms = (prefix: string) => rows.find((r) => r.what.startsWith(prefix))?.ms ?? Number.NaN;
  const goal = 2 * ms('floor: validate') + ms('floor: LIST');
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  process.stdout.write(
    `goal: plan in sync <= 2 x validate + LIST = ${s(goal)}: ${ms('plan:') <= goal ? 'met' : 'NOT met'} (${s(ms('plan:'))}); ` +
      `first reconcile <= 4 s: ${ms('reconcile: create') <= 4000 ? 'met' : 'NOT met'} (${s(ms('reconcile: create'))})\n`,
  );
} finally {
  await api.stop();
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
}
