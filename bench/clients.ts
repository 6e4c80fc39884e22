/**
 * Many clients on one target (issue 14): ONE client-config target listing every registered client
 * that has a user-scope file (no `projectDir`), with 50 stdio npm servers, on the local host in a
 * temp home. Timed:
 *  1. observe (the provider's own `observe`) with no client files yet;
 *  2. `plan` from empty (in-process: load + validate + resolve + observe + plan);
 *  3. apply of the 50 creates (`reconcile`, verification answered by the engine's `verify` dep,
 *     no package prefetch: `prefetch: false`), then observe and `plan` again with everything in
 *     sync — the steady-state cost;
 *  4. a floor, measured in the same run: reading and JSON/YAML/TOML-parsing the same client files
 *     in this process, once each.
 * Printed in ms, per client and per entry (client × server) in µs. No timing assertions.
 * Run alone: `node --import tsx bench/clients.ts` (BENCH_RUNS repeats of the timed reads, default 5).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { clientIds, getClient } from '../src/clients/registry.js';
import type { DesiredTarget } from '../src/core/state.js';
import { planRun } from '../src/engine/plan-run.js';
import { reconcile } from '../src/engine/reconcile.js';
import { LocalHost } from '../src/hosts/local-host.js';
import { createLogger } from '../src/log/logger.js';
import { redactor } from '../src/log/redact.js';
import { clientConfigProvider } from '../src/providers/client-config/index.js';
import { inventoryPath } from '../src/providers/client-config/inventory.js';
import type { ProviderContext } from '../src/providers/types.js';
import { createSecretResolver } from '../src/secrets/resolve-secret.js';
import { git } from './git.js';

const SERVERS = Number(process.env.BENCH_CLIENT_SERVERS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const logger = createLogger({ level: 'silent' });

/**
 * Every registered client with a user-scope file (the ones that need a `projectDir` are left out),
 * or the comma-separated ids in BENCH_CLIENTS (issue 16's three-client target).
 */
const CLIENTS =
  process.env.BENCH_CLIENTS?.split(',').map((id) => id.trim()) ??
  clientIds().filter((id) => getClient(id).scopes.includes('user'));

function writeRepo(dir: string, home: string): void {
  fs.mkdirSync(path.join(dir, 'servers'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'environments'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'mcp-gitops.yaml'),
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: clients }\nspec:\n  branch: main\n',
  );
  const names = Array.from({ length: SERVERS }, (_, i) => `srv-${String(i).padStart(2, '0')}`);
  for (const [i, name] of names.entries()) {
    fs.writeFileSync(
      path.join(dir, 'servers', `${name}.yaml`),
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${name} }\nspec:\n  package: { registryType: npm, identifier: "@example/mcp-${i}", version: "1.${i % 40}.${i % 9}" }\n  transport: stdio\n  env: { LOG_LEVEL: info }\n`,
    );
  }
  fs.writeFileSync(
    path.join(dir, 'environments', 'dev.yaml'),
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      home: ${home}\n      prefetch: false\n      clients: [${CLIENTS.join(', ')}]\n  servers:\n${names.map((n) => `    - name: ${n}\n`).join('')}`,
  );
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'bench config');
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Median of RUNS timings. */
async function median(fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) xs.push(await time(fn));
  return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** The floor: each file read and parsed by its syntax's parser, nothing else. */
function parseFile(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.toml')) return parseToml(text);
  if (file.endsWith('.yaml') || file.endsWith('.yml')) return parseYaml(text);
  return parseJsonc(text, [], { allowTrailingComma: true });
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-clients-'));
process.env.MCP_GITOPS_HOME = path.join(base, 'state');
fs.mkdirSync(process.env.MCP_GITOPS_HOME);
const home = path.join(base, 'home');
fs.mkdirSync(home);

try {
  const repo = path.join(base, 'repo');
  writeRepo(repo, home);

  // The provider's observe, on the same target the engine resolves.
  const { desired } = await planRun({ repoDir: repo });
  const environment = desired.environments[0]!;
  const target = environment.targets[0] as DesiredTarget;
  const ctx: ProviderContext = {
    host: new LocalHost({ home }),
    environment,
    target,
    secrets: createSecretResolver({ repoRoot: repo, env: {}, home }),
    logger,
    redact: (value) => redactor.add(value),
  };
  const observe = async (expect: number) => {
    const seen = await clientConfigProvider.observe(ctx);
    const entries = seen.servers.reduce(
      (n, s) => n + Object.values(s.actual ?? {}).filter((a) => a && !('unreadable' in (a as object))).length,
      0,
    );
    if (entries !== expect) throw new Error(`observe saw ${entries} entries, expected ${expect}`);
  };
  const plan = async (changes: number) => {
    const { plan: p } = await planRun({ repoDir: repo });
    const n = p.summary.create + p.summary.update + p.summary.delete + p.summary.drifted;
    if (n !== changes) throw new Error(`plan has ${n} changes, expected ${changes}`);
  };

  const observeEmpty = await median(() => observe(0));
  const planEmpty = await median(() => plan(SERVERS));
  // The apply's durable writes (temp file, fsync, rename, folder fsync) counted and timed where the
  // host does them: the engine's own LocalHost, wrapped, not replaced.
  const io = { writes: 0, writeMs: 0, reads: 0, readMs: 0 };
  const { writeFile, readFile } = LocalHost.prototype;
  LocalHost.prototype.writeFile = async function (...args: Parameters<typeof writeFile>) {
    const t0 = performance.now();
    try {
      return await writeFile.apply(this, args);
    } finally {
      io.writes++;
      io.writeMs += performance.now() - t0;
    }
  };
  LocalHost.prototype.readFile = async function (...args: Parameters<typeof readFile>) {
    const t0 = performance.now();
    try {
      return await readFile.apply(this, args);
    } finally {
      io.reads++;
      io.readMs += performance.now() - t0;
    }
  };
  const cpu0 = process.cpuUsage();
  const applyMs = await time(async () => {
    const run = await reconcile({
      repoDir: repo,
      deps: { logger, verify: async () => ({ ok: true, health: 'unknown', attempts: 0, durationMs: 0 }) },
    });
    const applied = run.targets.flatMap((t) => t.results).filter((r) => r.outcome === 'applied').length;
    if (run.failed || applied !== SERVERS) {
      const bad = run.targets.flatMap((t) => t.results.filter((r) => r.outcome !== 'applied'));
      throw new Error(`apply: ${applied} applied; ${JSON.stringify(bad.slice(0, 2))}`);
    }
  });
  const applyCpu = process.cpuUsage(cpu0);
  LocalHost.prototype.writeFile = writeFile;
  LocalHost.prototype.readFile = readFile;
  const entries = SERVERS * CLIENTS.length;
  const observeSync = await median(() => observe(entries));
  const planSync = await median(() => plan(0));

  // The files the entries went to (several clients may share one), from the inventory.
  const inventory = JSON.parse(
    fs.readFileSync(await inventoryPath(ctx.host, environment.name, target.name), 'utf8'),
  ) as { servers: Record<string, { clients: Record<string, string> }> };
  const files = [...new Set(Object.values(inventory.servers).flatMap((s) => Object.values(s.clients)))];
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const floor = await median(async () => {
    for (const f of files) parseFile(f);
  });

  // One change's in-memory work at the end (files full): parse, replace one entry, serialize every
  // file — what each of the 50 changes repeats on files that grow, so the apply's CPU grows with
  // servers² × clients.
  const byFile = new Map<string, string>();
  for (const s of Object.values(inventory.servers))
    for (const [id, f] of Object.entries(s.clients)) if (!byFile.has(f)) byFile.set(f, id);
  const texts = [...byFile].map(([f, id]) => ({
    f,
    client: getClient(id),
    text: fs.readFileSync(f, 'utf8'),
  }));
  const oneChange = await median(async () => {
    for (const { f, client, text } of texts) {
      const doc = client.parse(text, f);
      const entry = client.readEntries(doc)['srv-00']!;
      client.writeEntry(doc, 'srv-00', { ...entry });
      client.serialize(doc);
    }
  });

  const perClient = (ms: number) => `${((ms * 1000) / CLIENTS.length).toFixed(0).padStart(7)} µs/client`;
  const perEntry = (ms: number) => `${((ms * 1000) / entries).toFixed(1).padStart(7)} µs/entry`;
  const row = (label: string, ms: number) =>
    `  ${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms ${perClient(ms)} ${perEntry(ms)}  ${(ms / floor).toFixed(1).padStart(6)}x floor`;
  process.stdout.write(
    [
      `one client-config target, ${CLIENTS.length} clients × ${SERVERS} stdio npm servers = ${entries} entries in ${files.length} files (${(bytes / 1024).toFixed(0)} KiB), local host (median of ${RUNS}; apply once)`,
      row('observe, no client files', observeEmpty),
      row('plan from empty (in-process)', planEmpty),
      row(`apply ${SERVERS} creates (reconcile, verify stubbed)`, applyMs),
      `    of which ${io.writes} durable file writes (client files, backups and their indexes, inventory) ${io.writeMs.toFixed(0)} ms, ${io.reads} reads ${io.readMs.toFixed(0)} ms; CPU ${((applyCpu.user + applyCpu.system) / 1000).toFixed(0)} ms`,
      `    = ${(io.writes / SERVERS).toFixed(1)} writes per change over ${files.length} files`,
      row('  one change in memory, files full (parse+edit+serialize)', oneChange),
      row('observe, all in sync', observeSync),
      row('plan, all in sync (in-process)', planSync),
      row(`floor: read + parse the ${files.length} files once`, floor),
      '',
    ].join('\n'),
  );
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
