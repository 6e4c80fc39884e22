/**
 * `serve` end to end in-process against a real `git http-backend` remote and a real reconcile
 * (client-config + server-memory over stdio): signed GitHub deliveries in their real shapes make
 * it fetch, reconcile and push the report commit and tag; bad ones run nothing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { deliverer, example, pushPayload } from './github-deliveries.js';
import { startRemoteServe } from './start-remote-serve.js';

const SECRET = 'whsec-5d1e0b8f7a2c4e91';
let remote: ConfigRemote;
let serve: RunningServe;
let deliver: ReturnType<typeof deliverer>;
const events: ReconcileEvent[] = [];
const deliveries: string[] = [];

before(async () => {
  remote = await createConfigRemote();
  serve = await startRemoteServe(remote, {
    githubRepo: 'Codertocat/Hello-World',
    webhookSecret: SECRET,
    bodyLimit: 64 * 1024,
    reconcileOnStart: false,
    extensions: [
      {
        observer: {
          reconciled: (e) => events.push(e),
          delivery: (event, outcome) => deliveries.push(`${event}:${outcome}`),
        },
      },
    ],
  });
  deliver = deliverer(serve.url, SECRET);
});
after(async () => {
  await serve?.stop();
  await remote?.close();
});

const remoteHead = () => remote.remoteGit('rev-parse', 'main');

describe('serve: GitHub webhooks', { timeout: 240_000 }, () => {
  test('not ready before the first sync; healthz answers', async () => {
    assert.equal((await fetch(`${serve.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${serve.url}/readyz`)).status, 503);
    assert.equal((await fetch(`${serve.url}/nope`)).status, 404);
  });

  test('unsigned, wrongly signed and oversized deliveries are refused and run nothing', async () => {
    const before = remoteHead();
    const push = pushPayload('main', before);
    assert.equal((await deliver({ event: 'push', payload: push, signature: 'none' })).status, 401);
    assert.equal((await deliver({ event: 'push', payload: push, signature: 'bad' })).status, 401);
    const big = { ...push, padding: 'x'.repeat(70 * 1024) };
    assert.equal((await deliver({ event: 'push', payload: big })).status, 413);
    await serve.jobs.coalescer.idle();
    assert.equal(events.length, 0);
    assert.equal(remoteHead(), before);
    assert.deepEqual(deliveries, ['push:refused-early', 'push:unauthorized', 'push:too-large']);
  });

  test('ping answers 200; a push to another branch or repository is acknowledged and ignored', async () => {
    const ping = await deliver({ event: 'ping', payload: example('ping') });
    assert.equal(ping.status, 200);
    const other = await deliver({ event: 'push', payload: pushPayload('feature', remoteHead()) });
    assert.equal(other.status, 200);
    assert.match(other.text, /not the tracked branch/);
    const foreign = pushPayload('main', remoteHead());
    (foreign.repository as Record<string, unknown>).full_name = 'someone/else';
    assert.match((await deliver({ event: 'push', payload: foreign })).text, /not tracked/);
    await serve.jobs.coalescer.idle();
    assert.equal(events.length, 0);
  });

  test('a signed push fetches, reconciles and pushes the report commit and tag to the remote', async () => {
    const config = remoteHead();
    const res = await deliver({ event: 'push', payload: pushPayload('main', config), id: 'delivery-1' });
    assert.equal(res.status, 202);
    await serve.jobs.coalescer.idle();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.error, undefined, String(events[0]?.error));
    assert.equal(events[0]?.environment, 'dev');
    assert.equal(events[0]?.revision, config);
    assert.equal(remote.remoteGit('rev-parse', 'main^'), config);
    assert.match(remote.remoteGit('log', '-1', '--format=%B', 'main'), /Mcp-Gitops-Report: true/);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.0.0^{commit}'), remoteHead());
    const report = JSON.parse(remote.remoteGit('show', 'main:reports/dev/laptop.json')) as {
      revision: { applied?: string };
    };
    assert.equal(report.revision.applied, config);
    assert.equal((await fetch(`${serve.url}/readyz`)).status, 200);
    const page = await (await fetch(`${serve.url}/env/dev`)).text();
    assert.match(page, /data-testid="target-dev-laptop">\s*<h2[^>]*>laptop <span class="badge b-ready"/);

    // The same delivery again, and the push GitHub sends for our own report commit: ignored.
    const replay = await deliver({ event: 'push', payload: pushPayload('main', config), id: 'delivery-1' });
    assert.equal(replay.status, 200);
    assert.match(replay.text, /seen before/);
    const own = pushPayload('main', remoteHead(), remote.remoteGit('log', '-1', '--format=%B', 'main'));
    assert.match((await deliver({ event: 'push', payload: own })).text, /own report commit/);
    await serve.jobs.coalescer.idle();
    assert.equal(events.length, 1);
  });

  test('a burst of 50 signed pushes within a second: at most 2 reconciles, the newest commit applied and reported', async () => {
    for (let i = 1; i <= 50; i++) {
      remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml(`level-${i}`));
      remote.pusher.git('add', '-A');
      remote.pusher.git('commit', '-q', '-m', `memory: level-${i}`);
    }
    const newest = await remote.pusher.push();
    assert.equal(remote.pusher.git('log', '-1', '--format=%s', newest), 'memory: level-50');
    const before = events.length;
    // One delivery per commit, in order, all at once (GitHub would send one per push).
    const rebased = remote.pusher.git('log', '--format=%H', '-50', newest).split('\n').reverse();
    const answers = await Promise.all(
      rebased.map((sha) => deliver({ event: 'push', payload: pushPayload('main', sha) })),
    );
    assert.ok(answers.every((a) => a.status === 202));
    await serve.jobs.coalescer.idle();
    const runs = events.slice(before);
    assert.ok(runs.length >= 1 && runs.length <= 2, `reconciles: ${runs.length}`);
    assert.ok(runs.every((r) => r.error === undefined));
    assert.equal(runs.at(-1)?.revision, newest);
    const report = JSON.parse(remote.remoteGit('show', 'main:reports/dev/laptop.json')) as {
      revision: { applied?: string };
    };
    assert.equal(report.revision.applied, newest);
    const claude = fs.readFileSync(path.join(remote.home, '.claude.json'), 'utf8');
    assert.match(claude, /level-50/);
    assert.doesNotMatch(claude, /level-49"/);
  });
});
