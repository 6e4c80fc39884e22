/**
 * Whole-process time of `mcp-gitops validate` on generated config repos of 100, 1,000 and 5,000
 * servers across 3 environments (each environment lists every server), against a floor: a plain
 * node process that only reads and parses the same YAML files with the same parser (js-yaml).
 * Goal (issue 2): 1,000 servers in under 0.5 s and within 2x of the floor; linear growth.
 *
 * Runs the built CLI, as an installed copy runs it (builds dist/ first). Median of 5 runs taken
 * in turns with the floor; peak RSS from /usr/bin/time -v.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateConfigRepo } from './generate-config-repo.js';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// Reads and parses exactly what the loader does: every *.yaml/*.yml outside .git, node_modules
// and reports/, with js-yaml's loadAll and the same options. Nothing else.
const FLOOR = `
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { loadAll } = require('js-yaml');
const root = process.argv[1];
let docs = 0;
(function walk(dir, rel) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (!['.git', 'node_modules'].includes(e.name) && !(rel === '' && e.name === 'reports')) walk(p, rel + e.name + '/'); }
    else if (e.isFile() && /\\.ya?ml$/.test(e.name)) { statSync(p); docs += loadAll(readFileSync(p, 'utf8'), { maxAliases: 0 }).length; }
  }
})(root, '');
if (docs === 0) process.exit(3);
`;

// The validation pipeline alone (load → schemas → references → templates → policies) in a fresh
// process without the CLI's command modules: separates the CLI's startup from validation.
const PIPELINE = `
import(process.argv[1]).then(({ runValidation }) => runValidation({ root: process.argv[2] })).then(({ diagnostics }) => {
  if (diagnostics.length > 0) process.exit(4);
});
`;

interface Sample {
  ms: number;
  rssKb?: number;
}

function timed(argv: string[], expectExit = 0): Sample {
  const [cmd, ...args] = TIME ? [TIME, '-f', '%M', ...argv] : argv;
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: PROJECT, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== expectExit) {
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  }
  const rss = TIME ? Number(r.stderr.trim().split('\n').pop()) : undefined;
  return { ms, rssKb: Number.isFinite(rss) ? rss : undefined };
}

function median(samples: Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.ms - b.ms);
  const mid = sorted[Math.floor(sorted.length / 2)];
  return { ms: mid.ms, rssKb: Math.max(...samples.map((s) => s.rssKb ?? 0)) || undefined };
}

/**
 * Runs the commands in turns (a, b, c, a, b, c, ...) after one warm-up run each, so that a busy
 * moment of the machine falls on all of them alike; the median of each.
 */
function measureInTurns(commands: string[][]): Sample[] {
  for (const argv of commands) timed(argv); // warm the file cache
  const samples: Sample[][] = commands.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (let i = 0; i < commands.length; i++) samples[i]!.push(timed(commands[i]!));
  }
  return samples.map(median);
}

process.stdout.write('building dist/ (scripts/build.mjs)\n');
execFileSync(process.execPath, [join(PROJECT, 'scripts/build.mjs')], { cwd: PROJECT, stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-bench-validate-'));
const rows: string[][] = [];
try {
  for (const servers of SIZES) {
    const dir = join(work, `repo-${servers}`);
    generateConfigRepo(dir, servers);
    const [validate, floor, pipeline] = measureInTurns([
      [process.execPath, 'dist/cli/main.js', 'validate', '--repo', dir],
      [process.execPath, '-e', FLOOR, dir],
      [process.execPath, '-e', PIPELINE, join(PROJECT, 'dist/validate/run-validation.js'), dir],
    ]) as [Sample, Sample, Sample];
    rows.push([
      String(servers),
      String(servers + 4),
      `${(validate.ms / 1000).toFixed(3)} s`,
      `${(floor.ms / 1000).toFixed(3)} s`,
      `${(validate.ms / floor.ms).toFixed(2)}x`,
      `${(pipeline.ms / 1000).toFixed(3)} s`,
      `${(pipeline.ms / floor.ms).toFixed(2)}x`,
      validate.rssKb ? `${Math.round(validate.rssKb / 1024)} MiB` : 'n/a',
      floor.rssKb ? `${Math.round(floor.rssKb / 1024)} MiB` : 'n/a',
    ]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const header = [
  'servers',
  'documents',
  'validate',
  'floor',
  'ratio',
  'pipeline',
  'ratio',
  'validate RSS',
  'floor RSS',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
process.stdout.write(`\nvalidate, whole process, median of ${RUNS} (3 environments listing every server)\n`);
process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
process.stdout.write(
  'validate: `node dist/cli/main.js validate`; floor: read + js-yaml parse only; pipeline: runValidation\n' +
    'without the CLI (the difference to validate is loading the CLI and every command module)\n' +
    'goal: 1,000 servers < 0.5 s and within 2x of the floor\n',
);
