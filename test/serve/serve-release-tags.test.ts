/**
 * `serve`'s release tags against a real HTTP git remote: started with an empty state dir on a
 * remote that already has `dev/v1.1.1` (made elsewhere with the git CLI), a push that changes a
 * server is released as the next version after the remote's, pushed and pointing at the report
 * commit. Repairs are not releases: a hand edit of the client entry corrected commits the reports
 * but makes no tag.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/log/logger.js';
import type { RunningServe } from '../../src/serve/start-serve.js';
import type { ReconcileEvent } from '../../src/serve/types.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { startRemoteServe } from './start-remote-serve.js';

let remote: ConfigRemote;
let serve: RunningServe;
const events: ReconcileEvent[] = [];

before(async () => {
  remote = await createConfigRemote();
  remote.remoteGit(
    '-c',
    'user.name=someone',
    '-c',
    'user.email=someone@example.com',
    'tag',
    '-a',
    'dev/v1.1.1',
    '-m',
    'released elsewhere',
    'main',
  );
  serve = await startRemoteServe(remote, {
    bodyLimit: 1024,
    reconcileOnStart: false,
    logger: createLogger({ level: 'silent' }),
    extensions: [{ observer: { reconciled: (e) => events.push(e) } }],
  });
});
after(async () => {
  await serve?.stop();
  await remote?.close();
});

/** One deploy as a push delivery starts it; returns what it reconciled. */
async function deploy(): Promise<ReconcileEvent> {
  const before = events.length;
  await serve.jobs.deploy('push');
  assert.equal(events.length, before + 1, 'one reconcile ran');
  const event = events[events.length - 1] as ReconcileEvent;
  assert.equal(event.error, undefined, String(event.error));
  assert.equal(event.result?.failed, false, JSON.stringify(event.result?.targets.map((t) => t.results)));
  return event;
}

function remoteTags(): string[] {
  return remote.remoteGit('tag', '-l').split('\n').filter(Boolean).sort();
}

function claudeConfig(): {
  file: string;
  json: { mcpServers: Record<string, { env: Record<string, string> }> };
} {
  const file = path.join(remote.home, '.claude.json');
  return { file, json: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

describe('serve: release tags on a remote that has some already', { timeout: 180_000 }, () => {
  test('with an empty state dir, a server change is released after the remote dev/v1.1.1', async () => {
    assert.equal(fs.existsSync(path.join(remote.base, 'state')), false, 'the state dir starts empty');
    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml('debug'));
    await remote.pusher.commitAndPush('memory: debug');
    const first = await deploy();
    // A server and a target added since dev/v1.1.1 (which has no reports): a minor release.
    assert.deepEqual(first.result?.tags, ['dev/v1.2.0']);
    const reportCommit = remote.remoteGit('rev-parse', 'main');
    assert.match(remote.remoteGit('log', '-1', '--format=%B', 'main'), /Mcp-Gitops-Report: true/);
    assert.equal(remote.remoteGit('cat-file', '-t', 'dev/v1.2.0'), 'tag');
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.0^{commit}'), reportCommit);
    assert.deepEqual(remoteTags(), ['dev/v1.1.1', 'dev/v1.2.0']);

    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml('trace'));
    await remote.pusher.commitAndPush('memory: trace');
    const second = await deploy();
    assert.deepEqual(second.result?.tags, ['dev/v1.2.1']);
    assert.equal(remote.remoteGit('rev-parse', 'dev/v1.2.1^{commit}'), remote.remoteGit('rev-parse', 'main'));
  });

  test('a hand edit of the client entry is corrected with no tag', async () => {
    const tags = remoteTags();
    const { file, json } = claudeConfig();
    assert.equal(json.mcpServers.memory?.env.LEVEL, 'trace');
    (json.mcpServers.memory as { env: Record<string, string> }).env.LEVEL = 'hand-edited';
    fs.writeFileSync(file, JSON.stringify(json, null, 2));

    const event = await deploy();
    const changes = event.result?.plan.targets.flatMap((t) => t.changes.filter((c) => c.action !== 'noop'));
    assert.deepEqual(
      changes?.map((c) => [c.server, c.action, c.reason]),
      [['memory', 'update', 'drift']],
    );
    assert.equal(claudeConfig().json.mcpServers.memory?.env.LEVEL, 'trace', 'the drift was repaired');
    assert.ok(event.result?.commit, 'the reports of the repair are committed');
    assert.equal(remote.remoteGit('rev-parse', 'main'), event.result?.commit, 'and pushed');
    assert.deepEqual(event.result?.tags, []);
    assert.deepEqual(remoteTags(), tags, 'no tag on the remote');
  });
});
