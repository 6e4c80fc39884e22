/**
 * `--poll` catches what no delivery announced: a config commit pushed to the real http remote is
 * reconciled by the poll; polls that find only mcp-gitops' own report commits reconcile nothing.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { startRemoteServe } from './start-remote-serve.js';

let remote: ConfigRemote;
let serve: RunningServe;
const events: ReconcileEvent[] = [];
const logs: { msg: string }[] = [];

before(async () => {
  remote = await createConfigRemote();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as { msg: string });
      done();
    },
  });
  serve = await startRemoteServe(remote, {
    webhookSecret: undefined,
    pollMs: 1000,
    bodyLimit: 1024,
    logger: createLogger({ level: 'debug', destination: sink }),
    extensions: [{ observer: { reconciled: (e) => events.push(e) } }],
  });
});
after(async () => {
  await serve?.stop();
  await remote?.close();
});

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('serve --poll', { timeout: 120_000 }, () => {
  test('a startup reconcile, then polls skip our own report commit and catch a new config commit', async () => {
    await until('the startup reconcile', () => events.length === 1);
    assert.equal(events[0]?.trigger, 'startup');
    assert.match(remote.remoteGit('log', '-1', '--format=%B', 'main'), /Mcp-Gitops-Report: true/);
    const seen = logs.length;
    await until('a poll that finds nothing new', () =>
      logs.slice(seen).some((l) => l.msg === 'poll: config unchanged'),
    );
    assert.equal(events.length, 1, 'the report commit it pushed itself did not trigger a reconcile');

    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml('polled'));
    const commit = await remote.pusher.commitAndPush('memory: polled');
    await until('the polled reconcile', () => events.length === 2);
    assert.equal(events[1]?.trigger, 'poll');
    assert.equal(events[1]?.revision, commit);
    assert.equal(events[1]?.error, undefined);
    assert.equal(remote.remoteGit('rev-parse', 'main^'), commit);
  });
});
