import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { openRepo } from '../../src/git/open-repo.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const author = { name: 'mcp-gitops', email: 'mcp-gitops@localhost' };

describe('git layer (isomorphic-git)', () => {
  const repo = createTempRepo();
  after(() => repo.cleanup());
  repo.write('mcp-gitops.yaml', 'kind: Repository\n');
  repo.write('servers/a.yaml', 'a: 1\n');
  const first = repo.commitAll('first');

  test('opens from a sub-folder and resolves HEAD, branch and revisions', async () => {
    const g = await openRepo(path.join(repo.dir, 'servers'));
    assert.equal(fs.realpathSync(g.dir), fs.realpathSync(repo.dir));
    assert.equal(await g.head(), first);
    assert.equal(await g.currentBranch(), 'main');
    assert.equal(await g.resolveRevision('main'), first);
    assert.equal(await g.resolveRevision(first.slice(0, 8)), first);
    await assert.rejects(g.resolveRevision('nope'), /unknown revision "nope"/);
  });

  test('refuses a folder outside any work tree', async () => {
    await assert.rejects(openRepo('/'), /not inside a git work tree/);
  });

  test('writes and stages only changed files, commits, tags, reads back at the tag', async () => {
    const g = await openRepo(repo.dir);
    const changed = await g.writeAndStage([
      { path: 'reports/dev/laptop.json', content: '{"a":1}\n' },
      { path: 'servers/a.yaml', content: 'a: 1\n' },
    ]);
    assert.deepEqual(changed, ['reports/dev/laptop.json']);
    const commit = await g.commit('reconcile(dev): 1 changed\n\nMcp-Gitops-Report: true\n', author);
    assert.equal(repo.git('log', '-1', '--format=%an %s'), 'mcp-gitops reconcile(dev): 1 changed');
    assert.equal(repo.git('status', '--porcelain'), '');
    await g.createTag('dev/v1.0.0', 'dev v1.0.0\n', author);
    assert.deepEqual(await g.listTags(), ['dev/v1.0.0']);
    const tag = await g.readTag('dev/v1.0.0');
    assert.equal(tag?.commit, commit);
    assert.equal(tag?.message?.trim(), 'dev v1.0.0');
    assert.equal(repo.git('cat-file', '-t', 'dev/v1.0.0'), 'tag');
    assert.equal(await g.resolveRevision('dev/v1.0.0'), commit);

    // Nothing new → nothing to commit; a second write of the same content changes nothing.
    assert.deepEqual(await g.writeAndStage([{ path: 'reports/dev/laptop.json', content: '{"a":1}\n' }]), []);
    await g.writeAndStage([{ path: 'reports/dev/laptop.json', content: '{"a":2}\n' }]);
    await g.commit('second', author);
    assert.equal(await g.readFileAt('dev/v1.0.0', 'reports/dev/laptop.json'), '{"a":1}\n');
    assert.equal(await g.readFileAt('HEAD', 'reports/dev/laptop.json'), '{"a":2}\n');
    assert.equal(await g.readFileAt('HEAD', 'missing.json'), undefined);
    assert.deepEqual(await g.listFilesAt('dev/v1.0.0', 'reports'), ['reports/dev/laptop.json']);
    await assert.rejects(g.createTag('dev/v1.0.0', 'again', author), /cannot create tag dev\/v1.0.0/);
  });

  test("a file's text at HEAD given by the caller is used only while that commit is still HEAD", async () => {
    const g = await openRepo(repo.dir);
    const head = (await g.head()) as string;
    const atHead = await g.readFileAt(head, 'reports/dev/laptop.json');
    assert.ok(atHead !== undefined);
    // The caller's text at this HEAD: compared with it, an unchanged file is not a change.
    const same = { path: 'reports/dev/laptop.json', content: atHead, atHead: { commit: head, text: atHead } };
    assert.deepEqual(await g.writeAndStage([same]), []);
    // A text read at another commit is not trusted: HEAD's own text decides.
    const stale = { commit: '0'.repeat(40), text: 'something else\n' };
    assert.deepEqual(
      await g.writeAndStage([{ path: 'reports/dev/laptop.json', content: atHead, atHead: stale }]),
      [],
    );
    assert.deepEqual(
      await g.writeAndStage([{ path: 'reports/dev/laptop.json', content: 'new\n', atHead: stale }]),
      ['reports/dev/laptop.json'],
    );
    await g.writeAndStage([{ path: 'reports/dev/laptop.json', content: atHead }]);
  });

  test('removes files from work tree and index', async () => {
    const g = await openRepo(repo.dir);
    assert.deepEqual(await g.removeAndStage(['reports/dev/laptop.json', 'never.json']), [
      'reports/dev/laptop.json',
    ]);
    await g.commit('remove', author);
    assert.equal(fs.existsSync(path.join(repo.dir, 'reports/dev/laptop.json')), false);
    assert.equal(repo.git('ls-files', 'reports'), '');
  });
});

describe('config revision', () => {
  test('skips the reconciler’s own report commits', async () => {
    const { configRevision } = await import('../../src/git/config-revision.js');
    const repo = createTempRepo();
    try {
      repo.write('a.yaml', 'a: 1\n');
      const config = repo.commitAll('config change');
      const g = await openRepo(repo.dir);
      await g.writeAndStage([{ path: 'reports/README.md', content: '# r\n' }]);
      await g.commit('reconcile(dev): 1 changed, 0 failed, 0 drifted\n\nMcp-Gitops-Report: true\n', author);
      assert.notEqual(await g.head(), config);
      assert.equal(await configRevision(g), config);
    } finally {
      repo.cleanup();
    }
  });
});

describe('report commits', () => {
  test('carry only the reconciler’s files; the user’s staged change stays staged', async () => {
    const repo = createTempRepo();
    try {
      repo.write('servers/a.yaml', 'a: 1\n');
      repo.write('reports/dev/old.json', '{}\n');
      repo.commitAll('config');
      repo.write('servers/a.yaml', 'a: 2\n');
      repo.git('add', 'servers/a.yaml');
      const g = await openRepo(repo.dir);
      await g.writeAndStage([{ path: 'reports/dev/laptop.json', content: '{"x":1}\n' }]);
      await g.removeAndStage(['reports/dev/old.json']);
      await g.commit('reconcile(dev): 1 changed\n\nMcp-Gitops-Report: true\n', author);
      assert.equal(
        repo.git('show', '--name-status', '--format=', 'HEAD'),
        'A\treports/dev/laptop.json\nD\treports/dev/old.json',
      );
      assert.equal(repo.git('status', '--porcelain'), 'M  servers/a.yaml');
      assert.equal(repo.git('show', 'HEAD:servers/a.yaml'), 'a: 1');
    } finally {
      repo.cleanup();
    }
  });
});
