/**
 * The bad-input corpus (DESIGN.md §8): every case under test/fixtures/invalid/ is a config repo
 * (the valid base plus the case's overlay) that the real CLI must reject with exactly the
 * diagnostics in its expected.txt, exit 1, no stack trace, and nothing written.
 * `UPDATE_GOLDEN=1` rewrites the expected files from the current output.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildCaseRepo, FIXTURES, snapshot } from './corpus-repo.js';
import { type CliResult, mapLimit, runCli } from './run-cli.js';

const INVALID = join(FIXTURES, 'invalid');
const VALID = join(FIXTURES, 'valid');
const update = process.env.UPDATE_GOLDEN === '1';
const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-corpus-'));
after(() => rmSync(work, { recursive: true, force: true }));

function assertNoCrash(r: CliResult) {
  assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'stack trace on stderr');
  assert.doesNotMatch(r.stderr, /internal error|fatal/);
}

interface Ran {
  name: string;
  repo: string;
  before: string;
  result: CliResult;
}

async function runCase(kind: 'invalid' | 'valid', name: string): Promise<Ran> {
  const caseDir = join(kind === 'invalid' ? INVALID : VALID, name);
  const repo = join(work, kind, name, 'repo');
  if (kind === 'invalid') buildCaseRepo(caseDir, repo);
  const dir = kind === 'invalid' ? repo : caseDir;
  const before = snapshot(dir);
  const result = await runCli(['validate', '--repo', dir]);
  return { name, repo: dir, before, result };
}

const invalidCases = readdirSync(INVALID).sort();
const validCases = readdirSync(VALID).sort();
// Run every case up front, a few at a time (each is a fresh node + tsx process).
const ran = Promise.all([
  mapLimit(invalidCases, 3, (name) => runCase('invalid', name)),
  mapLimit(validCases, 3, (name) => runCase('valid', name)),
]);

describe('invalid corpus', () => {
  test('has at least 30 cases', () => assert.ok(invalidCases.length >= 30, `${invalidCases.length} cases`));
  for (const [i, name] of invalidCases.entries()) {
    test(name, async () => {
      const { repo, before, result } = (await ran)[0][i];
      const expectedFile = join(INVALID, name, 'expected.txt');
      if (update) writeFileSync(expectedFile, result.stdout);
      assertNoCrash(result);
      assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
      assert.equal(result.stdout, readFileSync(expectedFile, 'utf8'));
      assert.match(result.stderr, /^✗ \d+ errors?(, \d+ warnings?)? in \d+ files?\n$/);
      assert.equal(snapshot(repo), before, 'the repo changed');
    });
  }
});

describe('valid fixtures', () => {
  for (const [i, name] of validCases.entries()) {
    test(name, async () => {
      const { repo, before, result } = (await ran)[1][i];
      assertNoCrash(result);
      assert.equal(result.stdout, '');
      assert.equal(result.code, 0, `stderr: ${result.stderr}`);
      assert.match(result.stderr, /^✓ \d+ documents? valid\n$/);
      assert.equal(snapshot(repo), before, 'the repo changed');
    });
  }
});
