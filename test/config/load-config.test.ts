/**
 * The loader on real repos: the working tree, the git index (`--staged`) and revisions, read
 * through isomorphic-git after the real git CLI made the commits; positions of nodes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { BASE_REPO } from '../validate/corpus-repo.js';

const work = mkdtempSync(join(tmpdir(), 'mcp-gitops-load-'));
after(() => rmSync(work, { recursive: true, force: true }));

function git(dir: string, ...args: string[]) {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    stdio: 'pipe',
  });
}

function newRepo(name: string): string {
  const dir = join(work, name);
  cpSync(BASE_REPO, dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

const names = (docs: { kind: string; name: string }[]) => docs.map((d) => `${d.kind}/${d.name}`);

describe('loadConfig', () => {
  test('reads every resource of the working tree, sorted, with positions', async () => {
    const { config, diagnostics } = await loadConfig({ root: BASE_REPO });
    assert.deepEqual(diagnostics, []);
    assert.equal(config.source, 'worktree');
    assert.deepEqual(names(config.documents), [
      'Environment/dev',
      'Hook/notify',
      'Repository/corpus',
      'Policy/exact-versions',
      'Server/everything',
      'Server/memory',
    ]);
    assert.equal(config.repository?.name, 'corpus');
    const memory = config.servers.find((s) => s.name === 'memory')!;
    assert.deepEqual(memory.locate(['spec', 'package', 'version']), {
      file: 'servers/memory.yaml',
      line: 11,
      col: 14,
    });
    assert.deepEqual(memory.locate(['spec', 'transport'], 'key'), {
      file: 'servers/memory.yaml',
      line: 12,
      col: 3,
    });
    // A path that does not exist falls back to its nearest ancestor.
    assert.deepEqual(memory.locate(['spec', 'health', 'nope']), {
      file: 'servers/memory.yaml',
      line: 16,
      col: 5,
    });
    const env = config.environments[0];
    assert.deepEqual(env.locate(['spec', 'targets', 1, 'provider']), {
      file: 'environments/dev.yaml',
      line: 18,
      col: 17,
    });
  });

  test('--staged reads the index, not the working tree', async () => {
    const dir = newRepo('staged');
    writeFileSync(
      join(dir, 'servers/staged.yaml'),
      'apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: staged }\n',
    );
    git(dir, 'add', 'servers/staged.yaml');
    // An unstaged edit and an untracked file must not be seen.
    writeFileSync(join(dir, 'servers/memory.yaml'), 'not: [valid');
    writeFileSync(
      join(dir, 'servers/untracked.yaml'),
      'apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: untracked }\n',
    );
    const { config, diagnostics } = await loadConfig({ root: dir, source: 'index' });
    assert.deepEqual(diagnostics, []);
    assert.equal(config.source, 'index');
    assert.deepEqual(names(config.servers), ['Server/everything', 'Server/memory', 'Server/staged']);
    const worktree = await loadConfig({ root: dir });
    assert.equal(worktree.diagnostics[0]?.rule, 'yaml-syntax');
  });

  test('--rev reads a commit, with ~N and tags, and records the oid', async () => {
    const dir = newRepo('revision');
    git(dir, 'tag', '-a', 'v1', '-m', 'v1');
    git(dir, 'rm', '-q', 'servers/everything.yaml');
    git(dir, 'commit', '-q', '-m', 'drop everything');
    const head = await loadConfig({ root: dir, rev: 'HEAD' });
    assert.equal(head.config.source, 'revision');
    assert.match(head.config.revision ?? '', /^[0-9a-f]{40}$/);
    assert.deepEqual(names(head.config.servers), ['Server/memory']);
    const previous = await loadConfig({ root: dir, rev: 'HEAD~1' });
    assert.deepEqual(names(previous.config.servers), ['Server/everything', 'Server/memory']);
    const tagged = await loadConfig({ root: dir, rev: 'v1' });
    assert.equal(tagged.config.revision, previous.config.revision);
    await assert.rejects(loadConfig({ root: dir, rev: 'no-such-branch' }), { code: 'ERR_GIT' });
  });

  test('a symlink committed to git that leaves the repo is refused at a revision too', async () => {
    const dir = newRepo('symlink');
    execFileSync('ln', ['-s', '../../outside.yaml', join(dir, 'servers/linked.yaml')]);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'link');
    const { diagnostics } = await loadConfig({ root: dir, rev: 'HEAD' });
    assert.deepEqual(
      diagnostics.map((d) => `${d.file} ${d.rule}`),
      ['servers/linked.yaml symlink-escape'],
    );
  });

  test('the size limit applies to git blobs as well', async () => {
    const dir = newRepo('size');
    const { diagnostics } = await loadConfig({ root: dir, rev: 'HEAD', maxFileBytes: 300 });
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => d.rule === 'file-too-large'));
    assert.ok(diagnostics.some((d) => d.file === 'environments/dev.yaml'));
  });

  test('other YAML files are kept for the secret scan but not loaded as resources', async () => {
    const dir = newRepo('foreign');
    cpSync(BASE_REPO, join(dir, 'node_modules/pkg'), { recursive: true });
    cpSync(BASE_REPO, join(dir, 'reports/dev'), { recursive: true });
    writeFileSync(join(dir, 'ci.yml'), 'on: push\nlist: [unclosed\n');
    const { config, diagnostics } = await loadConfig({ root: dir });
    assert.deepEqual(diagnostics, []);
    assert.ok(config.files.some((f) => f.path === 'ci.yml'));
    assert.ok(!config.files.some((f) => f.path.startsWith('node_modules/') || f.path.startsWith('reports/')));
    assert.equal(config.servers.length, 2);
  });
});
