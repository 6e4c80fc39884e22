/**
 * `mcp-gitops validate` with a policy pattern that backtracks catastrophically in JavaScript
 * (`^(a+)+$` against `a…a!`: on a backtracking engine the time doubles with each character, and 41
 * were enough to hang validate) next to a floor: validate of the same repo without that policy.
 * Policy patterns run on RE2 (src/policy/linear-regexp.ts), so the difference is the cost of
 * loading re2js, compiling the policy and matching: milliseconds, linear in the value's length.
 *
 * Runs the built CLI (builds dist/ first); median of BENCH_RUNS (default 5) taken in turns.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('../', import.meta.url));
const BASE = join(PROJECT, 'test/fixtures/valid/base');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LENGTHS = (process.env.BENCH_LENGTHS ?? '10000,100000').split(',').map(Number);

const POLICY = `apiVersion: mcp-gitops/v1
kind: Policy
metadata:
  name: only-as
spec:
  severity: error
  message: Descriptions are made of a's
  match: { kinds: [Server] }
  assert:
    properties:
      spec:
        properties:
          description: { pattern: "^(a+)+$" }
`;

/** The corpus base repo with memory's description set to `a` × (length - 1) + `!`. */
function makeRepo(dir: string, length: number, withPolicy: boolean): void {
  cpSync(BASE, dir, { recursive: true });
  const server = join(dir, 'servers', 'memory.yaml');
  const text = readFileSync(server, 'utf8');
  writeFileSync(server, text.replace(/description: .*/, `description: ${'a'.repeat(length - 1)}!`));
  if (withPolicy) writeFileSync(join(dir, 'policies', 'only-as.yaml'), POLICY);
}

function timed(repo: string, expectExit: number): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['dist/cli/main.js', 'validate', '--repo', repo], {
    cwd: PROJECT,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== expectExit) throw new Error(`validate ${repo} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

process.stdout.write('building dist/ (scripts/build.mjs)\n');
execFileSync(process.execPath, [join(PROJECT, 'scripts/build.mjs')], { cwd: PROJECT, stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-bench-regex-'));
const rows: string[][] = [];
try {
  for (const length of LENGTHS) {
    const policy = join(work, `policy-${length}`);
    const floor = join(work, `floor-${length}`);
    makeRepo(policy, length, true);
    makeRepo(floor, length, false);
    // One warm-up each, then in turns so that a busy moment of the machine falls on both alike.
    timed(policy, 1);
    timed(floor, 0);
    const withPolicy: number[] = [];
    const without: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      withPolicy.push(timed(policy, 1));
      without.push(timed(floor, 0));
    }
    const p = median(withPolicy);
    const f = median(without);
    rows.push([
      length.toLocaleString('en-US'),
      `${(p / 1000).toFixed(3)} s`,
      `${(f / 1000).toFixed(3)} s`,
      `${(p - f).toFixed(0)} ms`,
    ]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const header = ['value length', 'validate with ^(a+)+$', 'floor (no policy)', 'difference'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
process.stdout.write(`\nvalidate with a catastrophic policy pattern, whole process, median of ${RUNS}\n`);
process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
process.stdout.write(
  'floor: the same repo without the policy. On a backtracking engine the first row would not finish.\n',
);
