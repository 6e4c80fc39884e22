/**
 * Release tags against a real `git http-backend` remote: the cache checkout fetches the remote's
 * tags (clone and fetch); a version someone else pushed first at another commit, seen before the
 * push or appearing during it, is renamed to the next free version and pushed, never counted as
 * pushed under the taken name; a tag already there is left alone; a stale release older than the
 * remote's is superseded; a tag that is not a release is an error. Checked with the git CLI.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { reconcile } from '../../src/engine/reconcile.js';
import { createLogger } from '../../src/log/logger.js';
import { RemoteConfigRepo } from '../../src/remote/remote-config-repo.js';
import { type ConfigRemote, createConfigRemote } from './config-remote.js';

const quiet = createLogger({ level: 'silent' });
const logs: { level: number; msg: string; tag?: string; retagged?: string }[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  }),
});

let remote: ConfigRemote;
let proxy: TrapProxy;

before(async () => {
  remote = await createConfigRemote();
  proxy = await startTrapProxy(new URL(remote.url).origin);
});
after(async () => {
  await proxy?.close();
  await remote?.close();
});

/** Make an annotated tag in the remote (bare) repository with the git CLI, as someone else would. */
function tagOnRemote(name: string, at: string, message = 'someone else released this'): void {
  remote.remoteGit(
    '-c',
    'user.name=someone',
    '-c',
    'user.email=someone@example.com',
    'tag',
    '-a',
    name,
    '-m',
    message,
    at,
  );
}

function localGit(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
}

async function release(repo: RemoteConfigRepo): Promise<string[]> {
  const run = await reconcile({ repoDir: repo.dir, deps: { logger: quiet } });
  assert.equal(run.failed, false, JSON.stringify(run.targets.map((t) => t.results)));
  return run.tags;
}

describe('release tags on an HTTP remote', { timeout: 120_000 }, () => {
  let repo: RemoteConfigRepo;

  test('clone and fetch bring the remote tags into the cache checkout', async () => {
    tagOnRemote('dev/v1.1.1', 'main');
    repo = new RemoteConfigRepo({
      url: proxy.urlFor(remote.url),
      branch: 'main',
      stateDir: path.join(remote.base, 'state-tags'),
      logger,
    });
    await repo.sync();
    assert.equal(localGit(repo.dir, 'rev-parse', 'dev/v1.1.1'), remote.remoteGit('rev-parse', 'dev/v1.1.1'));
    assert.equal(
      localGit(repo.dir, 'cat-file', '-t', 'dev/v1.1.1'),
      'tag',
      'the annotated tag object came too',
    );

    tagOnRemote('other/v0.1.0', 'main');
    await repo.sync();
    assert.equal(
      localGit(repo.dir, 'rev-parse', 'other/v0.1.0'),
      remote.remoteGit('rev-parse', 'other/v0.1.0'),
    );

    // The first release here numbers after the remote's: a target and a server added → minor.
    assert.deepEqual(await release(repo), ['dev/v1.2.0']);
    const pushed = await repo.push();
    assert.deepEqual(pushed.tags, ['dev/v1.2.0']);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.0^{commit}'), remote.remoteGit('rev-parse', 'main'));
  });

  test('a version someone else pushed first at another commit is renamed to the next one and pushed', async () => {
    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml('warn'));
    const theirs = await remote.pusher.commitAndPush('memory: warn');
    await repo.sync();
    assert.deepEqual(await release(repo), ['dev/v1.2.1']);
    const ours = localGit(repo.dir, 'rev-parse', 'main');

    // Between the reconcile and the push, someone else releases dev/v1.2.1 at their commit.
    tagOnRemote('dev/v1.2.1', theirs);
    const theirTag = remote.remoteGit('rev-parse', 'dev/v1.2.1');
    const seen = logs.length;
    const pushed = await repo.push();
    assert.deepEqual(pushed.tags, ['dev/v1.2.2']);
    assert.deepEqual(pushed.retagged, [{ from: 'dev/v1.2.1', to: 'dev/v1.2.2' }]);

    // Both on the remote, each at its own commit; theirs untouched; nothing lost.
    assert.equal(remote.remoteGit('rev-parse', 'main'), ours);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.1'), theirTag);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.1^{commit}'), theirs);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.2^{commit}'), ours);
    assert.equal(remote.remoteGit('cat-file', '-t', 'dev/v1.2.2'), 'tag');
    const message = remote.remoteGit('tag', '-l', '--format=%(contents)', 'dev/v1.2.2');
    assert.match(message, /^dev 1\.2\.2: /);
    assert.match(message, /retagged: dev\/v1\.2\.1 existed on the remote at another commit/);
    assert.ok(
      logs
        .slice(seen)
        .some(
          (l) =>
            l.level === 40 &&
            l.msg === 'tag dev/v1.2.1 existed on the remote at another commit: tagged dev/v1.2.2 instead',
        ),
      JSON.stringify(logs.slice(seen)),
    );

    // The old local name is gone; a fetch brings theirs; pushing again sends nothing (idempotent).
    await repo.sync();
    assert.equal(localGit(repo.dir, 'rev-parse', 'dev/v1.2.1'), theirTag);
    const again = await repo.push();
    assert.deepEqual([again.pushedBranch, again.tags, again.retagged], [false, [], []]);
  });

  test('a version taken during the push (after the listing) is renamed too, never counted as pushed', async () => {
    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml('error'));
    const theirs = await remote.pusher.commitAndPush('memory: error');
    await repo.sync();
    assert.deepEqual(await release(repo), ['dev/v1.2.3']);
    // The remote answers the tag's receive-pack after someone else created dev/v1.2.3 there.
    proxy.arm('refs/tags/dev/v1.2.3', () => tagOnRemote('dev/v1.2.3', theirs));
    const pushed = await repo.push();
    assert.equal(proxy.sprung, 1, 'the trap went off during the push of the tag');
    assert.deepEqual(pushed.tags, ['dev/v1.2.4']);
    assert.deepEqual(pushed.retagged, [{ from: 'dev/v1.2.3', to: 'dev/v1.2.4' }]);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.3^{commit}'), theirs);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.4^{commit}'), remote.remoteGit('rev-parse', 'main'));
  });

  test('a tag the remote has at the same commit is already there', async () => {
    const head = localGit(repo.dir, 'rev-parse', 'main');
    localGit(
      repo.dir,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@example.com',
      'tag',
      '-a',
      'mark',
      '-m',
      'ours',
      head,
    );
    tagOnRemote('mark', head, 'theirs, same commit');
    const pushed = await repo.push();
    assert.deepEqual([pushed.tags, pushed.retagged], [[], []]);
    assert.equal(remote.remoteGit('tag', '-l', '--format=%(contents)', 'mark'), 'theirs, same commit');
  });

  test('a stale release older than the remote release of its environment is superseded, not renumbered', async () => {
    // A release made here long ago at the first config commit, never pushed; the remote has
    // dev/v1.0.0 at a later commit (its first release was made elsewhere).
    const first = remote.remoteGit('rev-list', '--max-parents=0', 'main');
    localGit(
      repo.dir,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@example.com',
      'tag',
      '-a',
      'dev/v1.0.0',
      '-m',
      'dev 1.0.0: 1 changed\n\nmajor: first release of dev',
      first,
    );
    tagOnRemote('dev/v1.0.0', 'main~1');
    const before = remote.remoteGit('tag', '-l');
    const pushed = await repo.push();
    assert.deepEqual([pushed.tags, pushed.retagged, pushed.superseded], [[], [], ['dev/v1.0.0']]);
    assert.equal(remote.remoteGit('tag', '-l'), before, 'nothing was pushed');
    assert.throws(() => localGit(repo.dir, 'rev-parse', '--verify', '-q', 'refs/tags/dev/v1.0.0'));
  });

  test('a tag that is not a release, taken at another commit, is an error and not pushed', async () => {
    const head = localGit(repo.dir, 'rev-parse', 'main');
    localGit(repo.dir, 'tag', 'notes', head);
    tagOnRemote('notes', 'main~1');
    await assert.rejects(repo.push(), (err: Error) => {
      assert.match(err.message, /not every tag could be pushed: tag notes exists on .* at another commit/);
      return true;
    });
    assert.equal(remote.remoteGit('rev-parse', 'notes^{commit}'), remote.remoteGit('rev-parse', 'main~1'));
  });
});

interface TrapProxy {
  urlFor(url: string): string;
  /** Before forwarding the next receive-pack request that updates `ref`, run `spring`. */
  arm(ref: string, spring: () => void): void;
  sprung: number;
  close(): Promise<void>;
}

/** An HTTP proxy in front of the git server, to act "between" a client's ref listing and its push. */
async function startTrapProxy(target: string): Promise<TrapProxy> {
  let trap: { ref: string; spring: () => void } | undefined;
  const state = { sprung: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (trap && req.url?.endsWith('/git-receive-pack') && body.includes(trap.ref)) {
        trap.spring();
        trap = undefined;
        state.sprung++;
      }
      const upstream = http.request(
        `${target}${req.url}`,
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urlFor: (url) => `${origin}${new URL(url).pathname}`,
    arm(ref, spring) {
      trap = { ref, spring };
    },
    get sprung() {
      return state.sprung;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
