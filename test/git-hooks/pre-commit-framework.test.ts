/**
 * .pre-commit-hooks.yaml: each hook's entry, run the way the pre-commit framework runs it (argv
 * split shell-style, `mcp-gitops` on PATH, PRE_COMMIT_TO_REF for pre-push), accepts a valid repo
 * and refuses a broken one.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-precommit-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface HookDef {
  id: string;
  entry: string;
  language: string;
  pass_filenames: boolean;
  files?: string;
  stages: string[];
}

/** Shell-style split, enough for the entries (single and double quotes, no escapes). */
function shellWords(s: string): string[] {
  return [...s.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const hooks = parse(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as HookDef[];

test('the hooks are declared as the pre-commit framework expects', () => {
  assert.deepEqual(
    hooks.map((h) => [h.id, h.language, h.pass_filenames, h.stages]),
    [
      ['mcp-gitops-validate', 'node', false, ['pre-commit']],
      ['mcp-gitops-validate-push', 'node', false, ['pre-push']],
    ],
  );
  assert.equal(hooks[0].entry, 'mcp-gitops validate --staged');
  assert.ok(new RegExp(hooks[0].files ?? '').test('servers/a.yml'));
});

test('each entry passes on a valid repo and fails on a broken revision', () => {
  const binDir = path.join(tmp, 'bin');
  fs.mkdirSync(binDir);
  fs.symlinkSync(path.join(root, 'bin', 'mcp-gitops.js'), path.join(binDir, 'mcp-gitops'));
  const env = {
    ...process.env,
    PATH: `${binDir}:${process.env.PATH}`,
    MCP_GITOPS_HOME: tmp,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  const repo = path.join(tmp, 'repo');
  execFileSync(process.execPath, [path.join(root, 'bin', 'mcp-gitops.js'), 'init', repo], { env });
  const runEntry = (hook: HookDef, extra: Record<string, string> = {}) => {
    const [cmd, ...args] = shellWords(hook.entry);
    return spawnSync(cmd, args, { cwd: repo, env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
  };
  for (const hook of hooks) {
    const r = runEntry(hook, { PRE_COMMIT_TO_REF: 'main' });
    assert.equal(r.status, 0, `${hook.id}: ${r.stdout}${r.stderr}`);
  }
  const file = path.join(repo, 'servers', 'memory.yaml');
  fs.writeFileSync(
    file,
    fs.readFileSync(file, 'utf8').replace('transport: stdio', 'transport: carrier-pigeon'),
  );
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, ...args], { env, encoding: 'utf8' }).trim();
  git('add', 'servers/memory.yaml');
  const staged = runEntry(hooks[0]);
  assert.equal(staged.status, 1);
  assert.match(staged.stdout, /servers\/memory\.yaml:\d+:\d+: error: .*(carrier-pigeon|transport)/);
  git('commit', '-q', '--no-verify', '-m', 'bad');
  const pushed = runEntry(hooks[1], { PRE_COMMIT_TO_REF: git('rev-parse', 'HEAD') });
  assert.equal(pushed.status, 1);
  assert.match(pushed.stdout, /servers\/memory\.yaml:\d+:\d+: error:/);
});
