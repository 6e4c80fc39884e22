/**
 * The remote config repo against a real `git http-backend` remote that demands a token: clone into
 * the cache checkout, a real reconcile there, someone else pushes meanwhile, and the report commit
 * and tag still land, rebased on their commit, nothing lost (checked with the git CLI).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { reconcile } from '../../src/engine/reconcile.js';
import { createLogger } from '../../src/log/logger.js';
import { RemoteConfigRepo } from '../../src/remote/remote-config-repo.js';
import { type ConfigRemote, createConfigRemote } from './config-remote.js';

const TOKEN = 'tok-3f9a1c77e2b94d0c';
const logger = createLogger({ level: 'silent' });
let remote: ConfigRemote;

before(async () => {
  remote = await createConfigRemote({ token: TOKEN });
});
after(() => remote.close());

describe('remote config repo over HTTP', { timeout: 120_000 }, () => {
  test('without the token the clone is refused, and the error does not carry the token', async () => {
    const repo = new RemoteConfigRepo({
      url: remote.url,
      branch: 'main',
      stateDir: path.join(remote.base, 'state-anon'),
      logger,
    });
    await assert.rejects(repo.sync(), (err: Error) => {
      assert.match(err.message, /cannot clone .*401/);
      return true;
    });
    assert.throws(
      () =>
        new RemoteConfigRepo({
          url: remote.url.replace('http://', `http://u:${TOKEN}@`),
          branch: 'main',
          stateDir: remote.base,
          logger,
        }),
      (err: Error) => !err.message.includes(TOKEN) && /credentials in the URL/.test(err.message),
    );
  });

  test('a report made while someone else pushes lands rebased on their commit, tag moved with it', async () => {
    const repo = new RemoteConfigRepo({
      url: remote.url,
      branch: 'main',
      stateDir: path.join(remote.base, 'state'),
      token: TOKEN,
      logger,
    });
    const first = await repo.sync();
    assert.equal(first.head, remote.remoteGit('rev-parse', 'main'));
    assert.ok(fs.existsSync(path.join(repo.dir, 'environments/dev.yaml')));

    const run = await reconcile({ repoDir: repo.dir, deps: { logger } });
    assert.equal(run.failed, false, JSON.stringify(run.targets.map((t) => t.results)));
    assert.deepEqual(run.tags, ['dev/v1.0.0']);
    assert.ok(run.commit);

    // Meanwhile, someone else pushes a change of their own.
    remote.pusher.write('docs/NOTES.md', 'someone else was here\n');
    const theirs = await remote.pusher.commitAndPush('docs: notes');

    const pushed = await repo.push();
    assert.equal(pushed.attempts, 2);
    assert.equal(pushed.rebased, 1);
    assert.deepEqual(pushed.tags, ['dev/v1.0.0']);

    const head = remote.remoteGit('rev-parse', 'main');
    assert.equal(pushed.head, head);
    assert.notEqual(head, run.commit, 'the report commit was re-created on the new head');
    assert.equal(remote.remoteGit('rev-parse', 'main^'), theirs, 'their commit is the parent: nothing lost');
    assert.match(remote.remoteGit('log', '-1', '--format=%B', 'main'), /Mcp-Gitops-Report: true/);
    assert.equal(remote.remoteGit('show', 'main:docs/NOTES.md'), 'someone else was here');
    const report = JSON.parse(remote.remoteGit('show', 'main:reports/dev/laptop.json')) as Record<
      string,
      unknown
    >;
    assert.ok(report);
    assert.deepEqual(
      remote
        .remoteGit('diff', '--name-only', `${theirs}`, 'main')
        .split('\n')
        .every((f) => f.startsWith('reports/')),
      true,
    );
    assert.equal(remote.remoteGit('cat-file', '-t', 'dev/v1.0.0'), 'tag');
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.0.0^{commit}'), head);

    // A second sync after everything landed changes nothing, and a push has nothing to send.
    const again = await repo.sync();
    assert.equal(again.head, head);
    const noop = await repo.push();
    assert.equal(noop.pushedBranch, false);
    assert.deepEqual(noop.tags, []);
  });
});
