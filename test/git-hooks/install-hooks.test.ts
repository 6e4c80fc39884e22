import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { installHooks } from '../../src/hooks-install/install-hooks.js';
import { renderHook, shellQuote } from '../../src/hooks-install/render-hook.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const BIN = '/opt/mcp gitops/bin/mcp-gitops.js';
const opts = { hooks: ['pre-commit', 'pre-push'] as const, force: false, node: process.execPath, bin: BIN };

describe('hooks install', () => {
  test('writes executable pre-commit and pre-push hooks that call this node and bin by absolute path', async () => {
    const repo = createTempRepo();
    try {
      const results = await installHooks(repo.dir, opts);
      assert.deepEqual(
        results.map((r) => [r.hook, r.action]),
        [
          ['pre-commit', 'installed'],
          ['pre-push', 'installed'],
        ],
      );
      const preCommit = fs.readFileSync(path.join(repo.dir, '.git/hooks/pre-commit'), 'utf8');
      assert.ok(
        preCommit.includes(
          `exec '${process.execPath}' '/opt/mcp gitops/bin/mcp-gitops.js' validate --staged`,
        ),
      );
      assert.equal(fs.statSync(path.join(repo.dir, '.git/hooks/pre-push')).mode & 0o777, 0o755);
      const again = await installHooks(repo.dir, opts);
      assert.deepEqual(
        again.map((r) => r.action),
        ['unchanged', 'unchanged'],
      );
    } finally {
      repo.cleanup();
    }
  });

  test('refuses to clobber a foreign hook and writes nothing; --force keeps it as .bak', async () => {
    const repo = createTempRepo();
    try {
      const hooks = path.join(repo.dir, '.git/hooks');
      fs.writeFileSync(path.join(hooks, 'pre-push'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
      await assert.rejects(
        installHooks(repo.dir, opts),
        /refusing to replace 1 hook\(s\) not installed by mcp-gitops/,
      );
      assert.ok(!fs.existsSync(path.join(hooks, 'pre-commit')), 'nothing written, not even the free hook');
      const results = await installHooks(repo.dir, { ...opts, force: true });
      assert.equal(results[1].action, 'replaced');
      assert.equal(results[1].backup, path.join(fs.realpathSync(hooks), 'pre-push.bak'));
      assert.equal(fs.readFileSync(path.join(hooks, 'pre-push.bak'), 'utf8'), '#!/bin/sh\necho mine\n');
      assert.match(fs.readFileSync(path.join(hooks, 'pre-push'), 'utf8'), /mcp-gitops-hook: pre-push/);
    } finally {
      repo.cleanup();
    }
  });

  test('honours core.hooksPath', async () => {
    const repo = createTempRepo();
    try {
      repo.git('config', 'core.hooksPath', 'tools/hooks');
      repo.write('mcp-gitops.yaml', 'kind: Repository\n');
      fs.mkdirSync(path.join(repo.dir, 'servers'));
      const results = await installHooks(path.join(repo.dir, 'servers'), { ...opts, hooks: ['pre-commit'] });
      assert.equal(results[0].path, path.join(fs.realpathSync(repo.dir), 'tools/hooks/pre-commit'));
      assert.ok(!fs.existsSync(path.join(repo.dir, '.git/hooks/pre-commit')));
      assert.match(fs.readFileSync(results[0].path, 'utf8'), /validate --staged/);
    } finally {
      repo.cleanup();
    }
  });

  test('a config repo in a sub-folder of the work tree is refused with nothing written', async () => {
    const repo = createTempRepo();
    try {
      repo.write('platform/mcp/mcp-gitops.yaml', 'kind: Repository\n');
      await assert.rejects(
        installHooks(path.join(repo.dir, 'platform/mcp'), opts),
        /the config repo platform\/mcp\/ is a sub-folder of the git work tree/,
      );
      assert.ok(!fs.existsSync(path.join(repo.dir, '.git/hooks/pre-commit')));
    } finally {
      repo.cleanup();
    }
  });

  test('outside a git work tree: a clear error', async () => {
    await assert.rejects(installHooks('/', opts), /is not inside a git work tree/);
  });
});

describe('hook scripts', () => {
  // The validator stand-in records its argv and fails for one revision, so the script's own
  // logic (stdin parsing, deletions skipped, any failure refuses the push) is what is tested.
  const recorder = `const fs = require('node:fs');
fs.appendFileSync(process.env.RECORD, JSON.stringify(process.argv.slice(2)) + '\\n');
process.exit(process.argv.includes('${'b'.repeat(40)}') ? 1 : 0);
`;

  test('validates every pushed tip, skips deletions, refuses when one fails', () => {
    const repo = createTempRepo();
    try {
      repo.write('recorder.cjs', recorder);
      const hook = path.join(repo.dir, 'pre-push');
      fs.writeFileSync(
        hook,
        renderHook('pre-push', {
          node: process.execPath,
          bin: path.join(repo.dir, 'recorder.cjs'),
        }),
      );
      const record = path.join(repo.dir, 'record.jsonl');
      const a = 'a'.repeat(40);
      const b = 'b'.repeat(40);
      const zero = '0'.repeat(40);
      const run = (input: string) =>
        spawnSync('sh', [hook, 'origin', 'https://example.invalid/x.git'], {
          input,
          encoding: 'utf8',
          env: { ...process.env, RECORD: record },
        });
      const ok = run(`refs/heads/main ${a} refs/heads/main ${zero}\n(delete) ${zero} refs/heads/old ${a}\n`);
      assert.equal(ok.status, 0, ok.stderr);
      assert.deepEqual(
        fs
          .readFileSync(record, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
        [['validate', '--rev', a]],
      );
      fs.rmSync(record);
      const bad = run(
        `refs/heads/main ${a} refs/heads/main ${zero}\nrefs/heads/topic ${b} refs/heads/topic ${zero}\n`,
      );
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, new RegExp(`refs/heads/topic \\(${b}\\) does not validate; push refused`));
      assert.equal(fs.readFileSync(record, 'utf8').trim().split('\n').length, 2, 'both refs validated');
    } finally {
      repo.cleanup();
    }
  });

  test('pre-commit validates a temporary index (commit -a / commit PATHS) as a commit of its tree', () => {
    const repo = createTempRepo();
    try {
      repo.write('recorder.cjs', recorder);
      repo.write('a.yaml', 'a: 1\n');
      repo.commitAll('one');
      const hook = path.join(repo.dir, 'pre-commit');
      const cmd = { node: process.execPath, bin: path.join(repo.dir, 'recorder.cjs') };
      fs.writeFileSync(hook, renderHook('pre-commit', cmd));
      const record = path.join(repo.dir, 'record.jsonl');
      const runHook = (indexFile: string | undefined) => {
        const env: NodeJS.ProcessEnv = { ...process.env, RECORD: record };
        if (indexFile) env.GIT_INDEX_FILE = indexFile;
        else delete env.GIT_INDEX_FILE;
        const r = spawnSync('sh', [hook], { cwd: repo.dir, env, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        const calls = fs.readFileSync(record, 'utf8').trim().split('\n');
        fs.rmSync(record);
        return JSON.parse(calls[calls.length - 1]) as string[];
      };
      assert.deepEqual(runHook(undefined), ['validate', '--staged']);
      assert.deepEqual(runHook('.git/index'), ['validate', '--staged']);
      // A temporary index holding a change the real index does not have.
      const temp = path.join(repo.dir, '.git', 'next-index-1.lock');
      fs.copyFileSync(path.join(repo.dir, '.git', 'index'), temp);
      repo.write('a.yaml', 'a: 2\n');
      spawnSync('git', ['add', 'a.yaml'], { cwd: repo.dir, env: { ...process.env, GIT_INDEX_FILE: temp } });
      const args = runHook(temp);
      assert.deepEqual(args.slice(0, 2), ['validate', '--rev']);
      assert.equal(repo.git('show', `${args[2]}:a.yaml`), 'a: 2');
      assert.equal(repo.git('show', ':a.yaml'), 'a: 1', 'the real index is untouched');
    } finally {
      repo.cleanup();
    }
  });

  test('shell quoting survives quotes and spaces in paths', () => {
    assert.equal(shellQuote("/a b/it's"), `'/a b/it'\\''s'`);
    const out = spawnSync('sh', ['-c', `printf %s ${shellQuote("/a b/it's $HOME")}`], { encoding: 'utf8' });
    assert.equal(out.stdout, "/a b/it's $HOME");
  });
});
