/**
 * `serve` honours a suspension that is in the remote's head: a signed push delivery reconciles
 * from the real HTTP git remote, applies nothing to the suspended environment (no client config
 * written, no tag) and pushes a report that says it is suspended; once a push resumes it, the next
 * delivery applies it. Real client-config target in a temp home, real server-memory over stdio.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { deliverer, pushPayload } from './github-deliveries.js';
import { startRemoteServe } from './start-remote-serve.js';

const SECRET = 'whsec-0c4f9e2a7b1d5e38';
let remote: ConfigRemote;
let serve: RunningServe;
let deliver: ReturnType<typeof deliverer>;
const events: ReconcileEvent[] = [];

const envYaml = (sync: string) =>
  `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: dev\nspec:\n${sync}  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${remote.home}\n  servers:\n    - name: memory\n`;

before(async () => {
  remote = await createConfigRemote();
  remote.pusher.write(
    'environments/dev.yaml',
    envYaml('  sync:\n    suspend: true\n    suspendReason: "incident 42"\n'),
  );
  await remote.pusher.commitAndPush('suspend dev');
  serve = await startRemoteServe(remote, {
    githubRepo: 'Codertocat/Hello-World',
    webhookSecret: SECRET,
    bodyLimit: 64 * 1024,
    reconcileOnStart: false,
    extensions: [{ observer: { reconciled: (e) => events.push(e) } }],
  });
  deliver = deliverer(serve.url, SECRET);
});
after(async () => {
  await serve?.stop();
  await remote?.close();
});

const remoteHead = () => remote.remoteGit('rev-parse', 'main');
const claudeFile = () => path.join(remote.home, '.claude.json');
const remoteReport = () =>
  JSON.parse(remote.remoteGit('show', 'main:reports/dev/laptop.json')) as {
    suspended?: { reason?: string };
    conditions: { type: string; status: string; reason: string }[];
  };

describe('serve: a suspended environment in the remote head', { timeout: 240_000 }, () => {
  test('a push delivery reconciles nothing for it: no client config, no tag; the pushed report says suspended', async () => {
    const config = remoteHead();
    const res = await deliver({ event: 'push', payload: pushPayload('main', config) });
    assert.equal(res.status, 202);
    await serve.jobs.coalescer.idle();
    assert.equal(events.length, 1);
    const event = events[0] as ReconcileEvent;
    assert.equal(event.error, undefined, String(event.error));
    assert.equal(event.revision, config);
    assert.equal(event.result?.failed, false, 'a suspended environment is not a failed reconcile');
    assert.equal(fs.existsSync(claudeFile()), false, 'nothing applied to the suspended environment');
    assert.equal(remote.remoteGit('tag', '-l'), '', 'no tag');
    assert.equal(remote.remoteGit('rev-parse', 'main^'), config, 'the report commit was pushed');
    const report = remoteReport();
    assert.deepEqual(report.suspended, { reason: 'incident 42' });
    assert.equal(report.conditions.find((c) => c.type === 'Ready')?.reason, 'Suspended');
  });

  test('a push that resumes it: the next delivery applies it and tags', async () => {
    remote.pusher.write('environments/dev.yaml', envYaml(''));
    const resumed = await remote.pusher.commitAndPush('resume dev');
    const res = await deliver({ event: 'push', payload: pushPayload('main', resumed) });
    assert.equal(res.status, 202);
    await serve.jobs.coalescer.idle();
    const event = events.at(-1) as ReconcileEvent;
    assert.equal(event.error, undefined, String(event.error));
    assert.equal(event.revision, resumed);
    assert.match(fs.readFileSync(claudeFile(), 'utf8'), /"memory"/);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.0.0^{commit}'), remoteHead());
    assert.equal(remoteReport().suspended, undefined);
  });
});
