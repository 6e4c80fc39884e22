/**
 * The "Done means" of the git hooks, with the real git CLI and the real `mcp-gitops validate`:
 * a bad commit is refused with the diagnostics on stderr, a good one passes, `--staged` checks
 * the index and not the work tree, and pre-push refuses a bad revision pushed to a bare repo.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bin = path.join(root, 'bin', 'mcp-gitops.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-githooks-'));
const repo = path.join(tmp, 'config');
const env = {
  ...process.env,
  MCP_GITOPS_HOME: tmp,
  GIT_AUTHOR_NAME: 'Hook Test',
  GIT_AUTHOR_EMAIL: 'hooks@example.com',
  GIT_COMMITTER_NAME: 'Hook Test',
  GIT_COMMITTER_EMAIL: 'hooks@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmp,
};

function run(cmd: string, args: string[], cwd = repo) {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
}
function git(...args: string[]) {
  return run('git', args);
}
function cli(...args: string[]) {
  return run(process.execPath, [bin, ...args], fs.existsSync(repo) ? repo : tmp);
}
function write(file: string, text: string) {
  fs.writeFileSync(path.join(repo, file), text);
}

const GOOD = fs.readFileSync(path.join(root, 'examples/quickstart/servers/memory.yaml'), 'utf8');
const goodWith = (description: string) => GOOD.replace(/description: .*/, `description: ${description}`);
/** `transport` misspelled: a schema error on line 16 of the file. */
const BAD = GOOD.replace('transport: stdio', 'transprt: stdio');

before(() => {
  const init = cli('init', repo);
  assert.equal(init.status, 0, init.stderr);
  const hooks = cli('hooks', 'install');
  assert.equal(hooks.status, 0, hooks.stderr);
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('pre-commit hook (validate --staged)', () => {
  test('a bad commit is refused with the diagnostics on stderr; nothing is committed', () => {
    const head = git('rev-parse', 'HEAD').stdout.trim();
    write('servers/memory.yaml', BAD);
    git('add', 'servers/memory.yaml');
    const r = git('commit', '-m', 'break memory');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /^servers\/memory\.yaml:\d+:\d+: error: .*transprt.* \[schema\]$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(git('rev-parse', 'HEAD').stdout.trim(), head);
  });

  test('a good commit passes', () => {
    write('servers/memory.yaml', goodWith('Memory for the team'));
    git('add', 'servers/memory.yaml');
    const r = git('commit', '-m', 'describe memory');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(git('log', '-1', '--format=%s').stdout.trim(), 'describe memory');
  });

  test('the index is validated, not the work tree: good staged + broken work tree passes', () => {
    write('servers/memory.yaml', goodWith('Staged and good'));
    git('add', 'servers/memory.yaml');
    write('servers/memory.yaml', BAD);
    const r = git('commit', '-m', 'good index, bad work tree');
    assert.equal(r.status, 0, r.stderr);
    assert.match(git('show', 'HEAD:servers/memory.yaml').stdout, /Staged and good/);
  });

  test('... and bad staged + fixed work tree is refused', () => {
    git('add', 'servers/memory.yaml'); // stages BAD, left in the work tree by the previous test
    write('servers/memory.yaml', goodWith('Fixed only in the work tree'));
    const r = git('commit', '-m', 'bad index, good work tree');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /servers\/memory\.yaml:\d+:\d+: error: .*transprt/);
    git('add', 'servers/memory.yaml');
    assert.equal(git('commit', '-m', 'fix memory').status, 0);
  });
});

describe('pre-commit hook with a temporary index', () => {
  test('git commit -a validates what it commits, not the stale index', () => {
    write('servers/memory.yaml', BAD);
    const refused = git('commit', '-a', '-m', 'commit -a of a bad file');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /servers\/memory\.yaml:\d+:\d+: error: .*transprt/);
    write('servers/memory.yaml', goodWith('Committed with -a'));
    const ok = git('commit', '-a', '-m', 'commit -a of a good file');
    assert.equal(ok.status, 0, ok.stderr);
  });

  test('git commit PATHS validates what it commits', () => {
    write('servers/memory.yaml', BAD);
    const refused = git('commit', '-m', 'commit a path', 'servers/memory.yaml');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /servers\/memory\.yaml:\d+:\d+: error: .*transprt/);
    write('servers/memory.yaml', goodWith('Committed by path'));
    assert.equal(git('commit', '-m', 'commit a path', 'servers/memory.yaml').status, 0);
  });
});

describe('pre-push hook (validate --rev <pushed sha>)', () => {
  test('a bad revision is refused by the real git push; a good one goes through', () => {
    const remote = path.join(tmp, 'remote.git');
    assert.equal(run('git', ['init', '--bare', '-q', remote], tmp).status, 0);
    git('remote', 'add', 'origin', remote);
    write('servers/memory.yaml', BAD);
    git('add', 'servers/memory.yaml');
    assert.equal(git('commit', '--no-verify', '-m', 'bad, skipped pre-commit').status, 0);
    const bad = git('rev-parse', 'HEAD').stdout.trim();
    const refused = git('push', 'origin', 'main');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /servers\/memory\.yaml:\d+:\d+: error: .*transprt/);
    assert.match(refused.stderr, new RegExp(`refs/heads/main \\(${bad}\\) does not validate; push refused`));
    assert.notEqual(run('git', ['--git-dir', remote, 'rev-parse', '--verify', '-q', 'main'], tmp).status, 0);

    write('servers/memory.yaml', goodWith('Fixed before the push'));
    git('add', 'servers/memory.yaml');
    assert.equal(git('commit', '-m', 'fix').status, 0);
    const pushed = git('push', 'origin', 'main');
    assert.equal(pushed.status, 0, pushed.stderr);
    assert.equal(
      run('git', ['--git-dir', remote, 'rev-parse', 'main'], tmp).stdout.trim(),
      git('rev-parse', 'HEAD').stdout.trim(),
    );
    const deletion = git('push', 'origin', ':main');
    assert.doesNotMatch(deletion.stderr, /does not validate/, 'deleting a ref validates nothing');
  });
});
