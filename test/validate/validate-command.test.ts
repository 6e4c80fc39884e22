/** `mcp-gitops validate` end to end: formats, --staged against a real index, repo discovery, usage. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildCaseRepo, FIXTURES } from './corpus-repo.js';
import { runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-validate-cmd-'));
after(() => rmSync(work, { recursive: true, force: true }));

const bad = join(work, 'bad');
buildCaseRepo(join(FIXTURES, 'invalid', 'bad-port'), bad);

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });
}

describe('validate command', () => {
  test('--format json: every diagnostic, counts and the verdict', async () => {
    const r = await runCli(['validate', '--repo', bad, '--format', 'json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.valid, false);
    assert.equal(out.errors, 2);
    assert.deepEqual(out.diagnostics[0], {
      file: 'servers/everything.yaml',
      line: 12,
      col: 9,
      severity: 'error',
      message: 'spec.port: must be between 1 and 65535 (got the number 70000)',
      rule: 'schema',
    });
    assert.equal(r.stderr, '');
  });

  test('--format github: workflow annotations', async () => {
    const r = await runCli(['validate', '--repo', bad, '--format', 'github']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout.split('\n')[0],
      '::error file=servers/everything.yaml,line=12,col=9,title=schema::spec.port: must be between 1 and 65535 (got the number 70000)',
    );
  });

  test('--staged validates the index; the repo is found from the working directory', async () => {
    const dir = join(work, 'staged');
    buildCaseRepo(join(FIXTURES, 'invalid', 'bad-transport'), dir);
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.');
    // The index holds the bad transport; the working tree is then fixed without staging.
    execFileSync('sed', ['-i', 's/transport: http/transport: stdio/', join(dir, 'servers/memory.yaml')]);
    const staged = await runCli(['validate', '--staged'], { cwd: join(dir, 'servers') });
    assert.equal(staged.code, 1);
    assert.match(staged.stdout, /^servers\/memory\.yaml:12:14: error: spec\.transport: must be one of/);
    const worktree = await runCli(['validate'], { cwd: dir });
    assert.equal(worktree.code, 0, worktree.stdout);
    assert.equal(worktree.stdout, '');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'fixed');
    const rev = await runCli(['validate', '--rev', 'HEAD', '--repo', dir]);
    assert.equal(rev.code, 0, rev.stdout);
  });

  test('usage and repo errors are one clear line, no stack', async () => {
    const both = await runCli(['validate', '--staged', '--rev', 'HEAD', '--repo', bad]);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /--staged and --rev cannot be combined \[ERR_USAGE\]/);
    const missing = await runCli(['validate', '--repo', join(work, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such directory \[ERR_NOT_A_REPO\]/);
    const outside = mkdtempSync(join(tmpdir(), 'mcp-gitops-not-a-repo-'));
    try {
      writeFileSync(join(outside, 'x.yaml'), 'a: 1\n');
      const r = await runCli(['validate'], { cwd: outside });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /is not inside a git work tree \[ERR_NOT_A_REPO\]/);
      const badRev = await runCli(['validate', '--repo', bad, '--rev', 'HEAD']);
      assert.equal(badRev.code, 1);
      assert.match(badRev.stderr, /\[ERR_GIT\]/);
      for (const s of [r.stderr, badRev.stderr, both.stderr]) assert.doesNotMatch(s, /^\s+at /m);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
