/**
 * `pull_request` deliveries: serve fetches the PR head from the real http-backend remote, plans it
 * (nothing applied, nothing committed) and keeps ONE sticky comment per PR through the GitHub
 * REST API, served here by a real HTTP server that records the calls (GHE-style base URL).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServe } from '../../src/serve/start-serve.js';
import { PLAN_MARKER } from '../../src/serve/sticky-comment.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { type GitHubApiRecorder, startGitHubApi } from './github-api-recorder.js';
import { deliverer, example } from './github-deliveries.js';
import { startRemoteServe } from './start-remote-serve.js';

const SECRET = 'whsec-pr-0b4f3e';
const TOKEN = 'ghp_testtoken0123456789abcdef';
let remote: ConfigRemote;
let api: GitHubApiRecorder;
let serve: RunningServe;
let deliver: ReturnType<typeof deliverer>;

before(async () => {
  remote = await createConfigRemote();
  api = await startGitHubApi();
  serve = await startRemoteServe(remote, {
    githubRepo: 'Codertocat/Hello-World',
    webhookSecret: SECRET,
    github: { baseUrl: api.url, token: TOKEN },
    bodyLimit: 1024 * 1024,
    reconcileOnStart: false,
  });
  deliver = deliverer(serve.url, SECRET);
});
after(async () => {
  await serve?.stop();
  await api?.close();
  await remote?.close();
});

function prPayload(action: string, sha: string): Record<string, unknown> {
  const p = example('pull_request', 'opened');
  p.action = action;
  p.number = 7;
  const pr = p.pull_request as { number: number; head: { sha: string }; base: { ref: string } };
  pr.number = 7;
  pr.head.sha = sha;
  pr.base.ref = 'main';
  return p;
}

async function pushPullHead(level: string): Promise<string> {
  remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml(level));
  remote.pusher.git('add', '-A');
  remote.pusher.git('commit', '-q', '-m', `memory: ${level}`);
  await remote.pusher.pushRef('refs/pull/7/head');
  return remote.pusher.git('rev-parse', 'HEAD');
}

describe('serve: pull request plans', { timeout: 180_000 }, () => {
  test('opened → one plan comment is created; synchronize → the same comment is updated', async () => {
    const main = remote.remoteGit('rev-parse', 'main');
    remote.pusher.git('checkout', '-q', '-b', 'feature');
    const first = await pushPullHead('debug');
    const res = await deliver({ event: 'pull_request', payload: prPayload('opened', first) });
    assert.equal(res.status, 202);
    await serve.jobs.coalescer.idle();

    const posts = api.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1, JSON.stringify(api.requests));
    assert.equal(posts[0]?.path, '/api/v3/repos/Codertocat/Hello-World/issues/7/comments');
    assert.equal(posts[0]?.authorization, `Bearer ${TOKEN}`);
    const body = posts[0]?.body?.body ?? '';
    assert.ok(body.startsWith(PLAN_MARKER));
    assert.match(body, /### mcp-gitops plan/);
    assert.match(body, new RegExp(`Revision \`${first}\``));
    assert.match(body, /1 to create/);
    assert.match(body, /\+ env\.LEVEL: "debug"/);

    const second = await pushPullHead('trace');
    const sync = await deliver({ event: 'pull_request', payload: prPayload('synchronize', second) });
    assert.equal(sync.status, 202);
    await serve.jobs.coalescer.idle();
    const patches = api.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1);
    assert.equal(patches[0]?.path, '/api/v3/repos/Codertocat/Hello-World/issues/comments/101');
    assert.match(patches[0]?.body?.body ?? '', new RegExp(`Revision \`${second}\``));
    assert.equal(api.requests.filter((r) => r.method === 'POST').length, 1, 'still one comment');
    assert.equal(api.comments.size, 1);

    // closed is not planned; planning applied nothing and committed nothing.
    const closed = await deliver({ event: 'pull_request', payload: prPayload('closed', second) });
    assert.match(closed.text, /not planned/);
    assert.equal(remote.remoteGit('rev-parse', 'main'), main);
    assert.equal(fs.existsSync(path.join(remote.home, '.claude.json')), false);
  });
});
