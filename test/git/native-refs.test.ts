/**
 * The native ref, commit and tree readers (src/git/refs/, src/git/commits/) against real
 * repositories made with the git CLI, each answer compared with isomorphic-git's (what `plan` and
 * `reconcile` used before) and with git's own: branches, lightweight and annotated tags, packed
 * refs with peeled lines, detached HEAD, symbolic refs, a linked worktree, missing refs, and ref
 * names that try to read files outside the git folder.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import git from 'isomorphic-git';
import { isFolderPath, listFiles } from '../../src/git/commits/list-files.js';
import { walkLog } from '../../src/git/commits/walk-log.js';
import { readRef } from '../../src/git/native-reads.js';
import { ObjectStore } from '../../src/git/objects/object-store.js';
import { gitDirs } from '../../src/git/refs/git-dirs.js';
import { NotHandledError } from '../../src/git/refs/not-handled.js';
import { isValidRefName } from '../../src/git/refs/ref-name.js';
import { currentBranch, listTags, resolveRef } from '../../src/git/refs/resolve-ref.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

/** What isomorphic-git's resolveRef answers (undefined where it throws). */
const isoResolve = (dir: string, ref: string) => git.resolveRef({ fs, dir, ref }).catch(() => undefined);
/** What git answers for a ref (without rev-parse's own abbreviation and `^{}` syntax). */
const gitResolve = (repo: TempRepo, ref: string) => {
  try {
    return repo.git('rev-parse', '--verify', '-q', `${ref}^{}`) === ''
      ? undefined
      : repo.git('rev-parse', ref);
  } catch {
    return undefined;
  }
};

function history(repo: TempRepo): { first: string; second: string; merge: string } {
  repo.write('mcp-gitops.yaml', 'kind: Repository\n');
  repo.write('servers/a.yaml', 'a: 1\n');
  repo.write('servers/a.b.yaml', 'x\n');
  repo.write('servers/a/deep/c.yaml', 'c\n');
  repo.write('.github/workflows/ci.yaml', 'on: push\n');
  const first = repo.commitAll('first');
  repo.git('checkout', '-q', '-b', 'side');
  repo.write('servers/b.yaml', 'b: 1\n');
  repo.commitAll('side\n\nbody line\r\n\n\n');
  repo.git('checkout', '-q', 'main');
  repo.write('servers/a.yaml', 'a: 2\n');
  const second = repo.commitAll('second');
  repo.git('merge', '-q', '--no-ff', '-m', 'merge side\n\nMcp-Gitops-Report: true', 'side');
  const merge = repo.git('rev-parse', 'HEAD');
  repo.git('tag', 'v1.0.0', first);
  repo.git('tag', '-a', '-m', 'release\n\nnotes', 'dev/v1.1.0', second);
  repo.git('tag', '-a', '-m', 'tag of a tag', 'nested', 'dev/v1.1.0');
  repo.git('update-ref', 'refs/remotes/origin/main', second);
  repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
  repo.git('symbolic-ref', 'refs/heads/alias', 'refs/heads/side');
  return { first, second, merge };
}

const REFS = [
  'HEAD',
  'main',
  'side',
  'alias',
  'refs/heads/main',
  'v1.0.0',
  'refs/tags/v1.0.0',
  'dev/v1.1.0',
  'nested',
  'origin/main',
  'origin',
  'refs/remotes/origin/main',
  'missing',
  'refs/heads/missing',
];

describe('native refs against isomorphic-git and git (real repositories)', () => {
  const repo = createTempRepo('mcp-gitops-native-refs-');
  after(() => repo.cleanup());
  const { first, second, merge } = history(repo);

  async function sameAsIsoGitAndGit(label: string) {
    const dirs = gitDirs(repo.dir);
    for (const ref of REFS) {
      const native = resolveRef(dirs, ref);
      assert.equal(native, await isoResolve(repo.dir, ref), `${label}: ${ref} as isomorphic-git`);
      assert.equal(native, gitResolve(repo, ref), `${label}: ${ref} as git rev-parse`);
    }
    assert.equal(currentBranch(dirs), await git.currentBranch({ fs, dir: repo.dir }));
    assert.deepEqual(listTags(dirs), await git.listTags({ fs, dir: repo.dir }));
  }

  test('loose refs: branches, tags, remotes, symbolic refs, missing names', async () => {
    await sameAsIsoGitAndGit('loose');
    const dirs = gitDirs(repo.dir);
    assert.equal(resolveRef(dirs, 'HEAD'), merge);
    assert.equal(resolveRef(dirs, 'alias'), resolveRef(dirs, 'side'));
    assert.equal(currentBranch(dirs), 'main');
    assert.deepEqual(listTags(dirs), ['dev/v1.1.0', 'nested', 'v1.0.0']);
  });

  test('packed refs (git pack-refs --all), with peeled lines for annotated tags', async () => {
    repo.git('pack-refs', '--all');
    assert.ok(!fs.existsSync(path.join(repo.dir, '.git/refs/tags/v1.0.0')), 'the tags are packed');
    assert.match(fs.readFileSync(path.join(repo.dir, '.git/packed-refs'), 'utf8'), /^\^[0-9a-f]{40}$/m);
    await sameAsIsoGitAndGit('packed');
    // A loose ref written after packing wins over its packed line.
    repo.git('update-ref', 'refs/heads/side', first);
    await sameAsIsoGitAndGit('loose over packed');
    repo.git('update-ref', 'refs/heads/side', second);
  });

  test('detached HEAD', async () => {
    repo.git('checkout', '-q', '--detach', second);
    try {
      await sameAsIsoGitAndGit('detached');
      assert.equal(currentBranch(gitDirs(repo.dir)), undefined);
      assert.equal(resolveRef(gitDirs(repo.dir), 'HEAD'), second);
    } finally {
      repo.git('checkout', '-q', 'main');
    }
  });

  test('a linked worktree reads its own HEAD and the shared refs (git worktree add)', async () => {
    const wt = `${repo.dir}-wt`;
    after(() => fs.rmSync(wt, { recursive: true, force: true }));
    repo.git('worktree', 'add', '-q', '-b', 'feature', wt, first);
    const dirs = gitDirs(wt);
    assert.notEqual(dirs.gitDir, dirs.commonDir);
    assert.equal(resolveRef(dirs, 'HEAD'), first);
    assert.equal(currentBranch(dirs), 'feature');
    for (const ref of ['main', 'dev/v1.1.0', 'origin/main', 'feature']) {
      assert.equal(resolveRef(dirs, ref), repo.git('-C', wt, 'rev-parse', ref), ref);
    }
    assert.deepEqual(listTags(dirs), listTags(gitDirs(repo.dir)));
    // isomorphic-git looks for the shared refs in the worktree's own folder and misses them.
    assert.equal(await isoResolve(wt, 'HEAD'), undefined);
  });

  test('a ref name git refuses reads nothing, even where isomorphic-git would read outside the git folder', async () => {
    // A file outside .git holding a valid oid: the name "../x" reaches it by path joining.
    fs.writeFileSync(path.join(repo.dir, 'x'), `${first}\n`);
    assert.equal(await isoResolve(repo.dir, '../x'), first, 'isomorphic-git follows the path');
    const dirs = gitDirs(repo.dir);
    for (const hostile of [
      '../x',
      'refs/heads/../../../x',
      '../../etc/passwd',
      'refs/heads/../../x',
      '/etc/passwd',
      'main\\..\\x',
      'main@{1}',
      'ma\x01in',
      'main.lock',
      '',
    ]) {
      assert.equal(resolveRef(dirs, hostile), undefined, JSON.stringify(hostile));
    }
  });

  test('what the native reader leaves to isomorphic-git still resolves (ORIG_HEAD, left by the merge)', async () => {
    assert.throws(() => resolveRef(gitDirs(repo.dir), 'ORIG_HEAD'), NotHandledError);
    const expected = repo.git('rev-parse', 'ORIG_HEAD');
    assert.equal(await readRef(repo.dir, 'ORIG_HEAD'), expected);
    assert.equal(await isoResolve(repo.dir, 'ORIG_HEAD'), expected);
  });

  test('the log is isomorphic-git log, commit for commit, messages included', async () => {
    const store = ObjectStore.open(repo.dir);
    try {
      for (const [start, depth] of [
        [merge, undefined],
        [merge, 2],
        [second, undefined],
        [first, 1],
      ] as const) {
        const native = walkLog(store, gitDirs(repo.dir).commonDir, start, depth);
        const iso = await git.log({ fs, dir: repo.dir, ref: start, ...(depth ? { depth } : {}) });
        assert.deepEqual(
          native,
          iso.map((c) => ({ oid: c.oid, message: c.commit.message })),
        );
      }
      const all = new Set(walkLog(store, repo.dir, merge).map((c) => c.oid));
      for (const oid of [merge, second, first]) assert.ok(all.has(oid), oid);
    } finally {
      store.close();
    }
  });

  test('the files of a commit are isomorphic-git listFiles, in its order', async () => {
    const store = ObjectStore.open(repo.dir);
    try {
      for (const oid of [first, second, merge]) {
        const native = listFiles(store, oid);
        assert.deepEqual(native, await git.listFiles({ fs, dir: repo.dir, ref: oid }));
        assert.ok(native.includes('.github/workflows/ci.yaml'));
      }
    } finally {
      store.close();
    }
  });

  test('the files under a folder are those of the whole listing under it, reading only its path', async () => {
    const store = ObjectStore.open(repo.dir);
    try {
      for (const oid of [first, second, merge]) {
        const all = await git.listFiles({ fs, dir: repo.dir, ref: oid });
        for (const under of [
          '.github',
          '.github/',
          '.github/workflows',
          'missing',
          '.github/workflows/ci.yaml',
        ]) {
          const prefix = under.endsWith('/') ? under : `${under}/`;
          assert.deepEqual(
            listFiles(store, oid, under),
            all.filter((f) => f.startsWith(prefix)),
            under,
          );
        }
        assert.ok(listFiles(store, oid, '.github').includes('.github/workflows/ci.yaml'));
      }
      for (const under of ['', '/x', 'a//b', './a', 'a/..', '.github/../x'])
        assert.equal(isFolderPath(under), false, under);
      assert.equal(isFolderPath('reports/dev/'), true);
    } finally {
      store.close();
    }
  });
});

test('ref names: the ones git check-ref-format --allow-onelevel accepts, no more', () => {
  const names = [
    'main',
    'HEAD',
    'refs/heads/main',
    'dev/v1.0.0',
    'feature/x-y_z',
    'v1.0.0',
    'ünïcode',
    'a/.b',
    '.a',
    'a..b',
    'a/',
    '/a',
    'a//b',
    'a.',
    'a.lock',
    'a.lock/b',
    'a@{b',
    '@',
    'a@b',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[b',
    'a\\b',
    'a\tb',
    'a\x7fb',
    '../../etc/passwd',
    'refs/heads/../../x',
  ];
  for (const name of names) {
    let gitSays: boolean;
    try {
      execFileSync('git', ['check-ref-format', '--allow-onelevel', name], { stdio: 'ignore' });
      gitSays = true;
    } catch {
      gitSays = false;
    }
    assert.equal(isValidRefName(name), gitSays, JSON.stringify(name));
  }
});
