/**
 * `reconcile --push` from a local work tree to a real HTTP remote: its release tag is pushed with
 * the branch; when the remote already has that version at another commit the tag is not pushed,
 * and the run fails naming the tag (the branch still lands, the remote's tag is untouched).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { reconcile } from '../../src/engine/reconcile.js';
import { createLogger } from '../../src/log/logger.js';
import { type ConfigRemote, createConfigRemote } from './config-remote.js';

const run = promisify(execFile);
const logger = createLogger({ level: 'silent' });
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'me',
  GIT_AUTHOR_EMAIL: 'me@example.com',
  GIT_COMMITTER_NAME: 'me',
  GIT_COMMITTER_EMAIL: 'me@example.com',
};
let remote: ConfigRemote;
let work: string;

/** git in the work tree, async: the HTTP git server runs in this process. */
async function git(...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', work, ...args], { env: ENV, timeout: 30_000 });
  return stdout.trim();
}

before(async () => {
  remote = await createConfigRemote();
  work = path.join(remote.base, 'work');
  await run('git', ['clone', '-q', remote.url, work], { env: ENV, timeout: 30_000 });
});
after(() => remote?.close());

describe('reconcile --push from a work tree', { timeout: 120_000 }, () => {
  test('the release tag is pushed with the branch', async () => {
    const result = await reconcile({ repoDir: work, push: true, deps: { logger } });
    assert.equal(result.failed, false);
    assert.deepEqual(result.tags, ['dev/v1.0.0']);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.0.0^{commit}'), remote.remoteGit('rev-parse', 'main'));
  });

  test('a version the remote has at another commit is an error naming the tag, not a pushed tag', async () => {
    remote.remoteGit(
      '-c',
      'user.name=someone',
      '-c',
      'user.email=someone@example.com',
      'tag',
      '-a',
      'dev/v1.0.1',
      '-m',
      'theirs',
      'main',
    );
    const theirs = remote.remoteGit('rev-parse', 'dev/v1.0.1');
    fs.writeFileSync(path.join(work, 'servers/memory.yaml'), remote.memoryServerYaml('warn'));
    await git('commit', '-q', '-am', 'memory: warn');

    await assert.rejects(reconcile({ repoDir: work, push: true, deps: { logger } }), (err: Error) => {
      assert.match(
        err.message,
        /^tag dev\/v1\.0\.1 exists on origin at another commit \([0-9a-f]{12}\): it was not pushed/,
      );
      assert.match(err.message, /pushed: refs\/heads\/main/);
      assert.match((err as { hint?: string }).hint ?? '', /git tag -d dev\/v1\.0\.1/);
      return true;
    });
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.0.1'), theirs, 'their tag is untouched');
    assert.equal(remote.remoteGit('rev-parse', 'main'), await git('rev-parse', 'main'), 'the branch landed');
  });
});
