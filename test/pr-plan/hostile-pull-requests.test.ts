/**
 * Pull requests written by an attacker, against a real `serve`, a real HTTP git remote and a
 * recording GitHub API: each one gets a comment saying what was planned or refused, nothing it
 * names is contacted (listening sockets count connections), no hook runs, serve's /healthz keeps
 * answering and its memory stays bounded while the sandboxed planner works.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunningServe } from '../../src/serve/start-serve.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { type GitHubApiRecorder, startGitHubApi } from '../serve/github-api-recorder.js';
import { deliverer, example } from '../serve/github-deliveries.js';
import { startRemoteServe } from '../serve/start-remote-serve.js';

const SECRET = 'whsec-hostile-5d1c';
const TOKEN = 'ghp_hostiletoken0123456789abcdef';
const REPO = 'Codertocat/Hello-World';

let remote: ConfigRemote;
let api: GitHubApiRecorder;
let serve: RunningServe;
let deliver: ReturnType<typeof deliverer>;
let counters: { socket: Counter; ssh: Counter };
let deskA: string;
let deskB: string;
let nextPr = 100;

interface Counter {
  where: string;
  port?: number;
  connections: number;
  close(): Promise<void>;
}

async function countingListener(where: string | 0): Promise<Counter> {
  const counter: Counter = { where: String(where), connections: 0, close: async () => {} };
  const server = net.createServer((socket) => {
    counter.connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) =>
    server.listen(where === 0 ? { port: 0, host: '127.0.0.1' } : where, resolve),
  );
  const addr = server.address();
  if (addr && typeof addr === 'object') counter.port = addr.port;
  counter.close = () => new Promise((resolve) => server.close(() => resolve()));
  return counter;
}

/** /healthz latencies and serve's resident memory, sampled while a pull request is planned. */
function monitor(url: string) {
  const latencies: number[] = [];
  let failures = 0;
  let peakRss = process.memoryUsage().rss;
  let busy = false;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (busy) return;
    busy = true;
    const started = performance.now();
    fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })
      .then((r) => {
        if (r.status !== 200) failures++;
        latencies.push(performance.now() - started);
        return r.text();
      })
      .catch(() => failures++)
      .finally(() => {
        busy = false;
      });
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return { latencies, failures, peakRss, max: Math.max(0, ...latencies) };
    },
  };
}

function prPayload(number: number, sha: string, options: { fork?: boolean } = {}): Record<string, unknown> {
  const p = example('pull_request', 'opened');
  p.number = number;
  const pr = p.pull_request as Record<string, unknown> & {
    head: { sha: string; repo: { full_name: string } };
    base: { ref: string };
  };
  pr.number = number;
  pr.head.sha = sha;
  pr.base.ref = 'main';
  if (options.fork) {
    pr.head.repo = { ...pr.head.repo, full_name: 'mallory/Hello-World' };
    pr.author_association = 'NONE';
  }
  return p;
}

/** Commit `change` on a branch from main, push it as GitHub keeps a PR head, deliver `opened`, wait for the plan. */
async function openPullRequest(
  change: (dir: string) => void,
  options: { fork?: boolean } = {},
): Promise<{ number: number; comment: string; health: ReturnType<ReturnType<typeof monitor>['stop']> }> {
  const number = nextPr++;
  const git = remote.pusher.git;
  git('checkout', '-q', '-B', `pr-${number}`, 'main');
  change(remote.pusher.dir);
  git('add', '-A');
  git('commit', '-q', '-m', `pr ${number}`);
  await remote.pusher.pushRef(`refs/pull/${number}/head`);
  const sha = git('rev-parse', 'HEAD');
  git('checkout', '-q', 'main');
  const watch = monitor(serve.url);
  const started = Date.now();
  const res = await deliver({ event: 'pull_request', payload: prPayload(number, sha, options) });
  assert.equal(res.status, 202, res.text);
  let comment: string | undefined;
  while (Date.now() - started < 60_000) {
    comment = [...api.comments.values()].find((c) => c.issue === `${REPO}#${number}`)?.body;
    if (comment) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const health = watch.stop();
  assert.ok(comment, `no comment on #${number} within 60 s`);
  assert.equal(health.failures, 0, '/healthz must keep answering');
  // serve itself (this process, with the git remote and the API recorder in it) stays small.
  assert.ok(health.peakRss < 400 * 1024 * 1024, `serve RSS peaked at ${health.peakRss}`);
  assert.ok(!comment.includes(TOKEN));
  return { number, comment, health };
}

function writeFile(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

function envYaml(name: string, targets: string): string {
  return `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: ${name}\nspec:\n  targets:\n${targets}  servers:\n    - name: memory\n`;
}

before(async () => {
  remote = await createConfigRemote();
  deskA = path.join(remote.base, 'desk-a');
  deskB = path.join(remote.base, 'desk-b');
  fs.mkdirSync(deskA);
  fs.mkdirSync(deskB);
  // The base branch gets a second laptop-style target, so a pull request can change an existing one.
  writeFile(
    remote.pusher.dir,
    'environments/dev.yaml',
    envYaml(
      'dev',
      `    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${remote.home}\n    - name: desk\n      provider: client-config\n      clients: [claude-code]\n      home: ${deskA}\n`,
    ),
  );
  await remote.pusher.commitAndPush('desk target');
  counters = {
    socket: await countingListener(path.join(remote.base, 'engine.sock')),
    ssh: await countingListener(0),
  };
  api = await startGitHubApi();
  serve = await startRemoteServe(remote, {
    githubRepo: REPO,
    webhookSecret: SECRET,
    github: { baseUrl: api.url, token: TOKEN },
    bodyLimit: 1024 * 1024,
    reconcileOnStart: false,
  });
  await serve.repo.sync();
  deliver = deliverer(serve.url, SECRET);
});

after(async () => {
  await serve?.stop();
  await api?.close();
  await counters?.socket.close();
  await counters?.ssh.close();
  await remote?.close();
});

describe('hostile pull requests', { timeout: 600_000 }, () => {
  test('a target on a local unix socket is not contacted and is planned after merge', async () => {
    const { comment } = await openPullRequest((dir) =>
      writeFile(
        dir,
        'environments/evil.yaml',
        envYaml(
          'evil',
          `    - name: sock\n      provider: container\n      socket: ${counters.socket.where}\n`,
        ),
      ),
    );
    assert.equal(counters.socket.connections, 0);
    assert.match(comment, /`sock` \| container .*Not observed: new in this pull request/);
    assert.match(comment, /1 not observed/);
  });

  test('an ssh:// target on loopback with acceptNewHostKey gets no connection', async () => {
    const { comment } = await openPullRequest((dir) =>
      writeFile(
        dir,
        'environments/evil.yaml',
        envYaml(
          'evil',
          `    - name: vm\n      provider: process\n      host: ssh://root@127.0.0.1:${counters.ssh.port}\n      acceptNewHostKey: true\n      identityFile: { ref: "file:/etc/ssh/ssh_host_ed25519_key" }\n`,
        ),
      ),
    );
    assert.equal(counters.ssh.connections, 0);
    assert.match(comment, /`vm` \| process .*Not observed: new in this pull request/);
  });

  test("a changed setting of a base target defers it: the PR's home is never touched", async () => {
    const { comment } = await openPullRequest((dir) =>
      writeFile(
        dir,
        'environments/dev.yaml',
        envYaml(
          'dev',
          `    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${remote.home}\n    - name: desk\n      provider: client-config\n      clients: [claude-code, cursor]\n      home: ${deskB}\n`,
        ),
      ),
    );
    assert.match(
      comment,
      /`desk` \| client-config .*Not observed: its clients, home change in this pull request/,
    );
    // The unchanged target is planned against what is really there.
    assert.match(comment, /`laptop` \| client-config .* \| 1 \| 0 \| 0 \| 0 \| 0 \| Changes/);
    assert.deepEqual(fs.readdirSync(deskB), []);
  });

  test('a hook in the pull request never runs', async () => {
    const sentinel = path.join(remote.base, 'hook-ran');
    const { comment } = await openPullRequest((dir) =>
      writeFile(
        dir,
        'hooks/evil.yaml',
        `apiVersion: mcp-gitops/v1\nkind: Hook\nmetadata:\n  name: evil\nspec:\n  events: [preApply, postApply, drift, failure]\n  run:\n    command: /usr/bin/touch\n    args: ["${sentinel}"]\n`,
      ),
    );
    assert.match(comment, /### mcp-gitops plan/);
    assert.equal(fs.existsSync(sentinel), false);
  });

  test('a catastrophic regular expression in a policy is answered, not hung on', async () => {
    const { comment } = await openPullRequest((dir) => {
      writeFile(
        dir,
        'policies/evil.yaml',
        'apiVersion: mcp-gitops/v1\nkind: Policy\nmetadata:\n  name: evil\nspec:\n  severity: error\n  message: must be all a\n  match: { kinds: [Server] }\n  assert:\n    properties:\n      spec:\n        properties:\n          description: { pattern: "^(a+)+$" }\n',
      );
      const yaml = fs.readFileSync(path.join(dir, 'servers/memory.yaml'), 'utf8');
      fs.writeFileSync(
        path.join(dir, 'servers/memory.yaml'),
        yaml.replace('description: memory', `description: "${'a'.repeat(10_000)}!"`),
      );
    });
    assert.match(comment, /### mcp-gitops plan/);
    assert.match(comment, /invalid|Refused/);
  });

  test('a 400 MB file that compresses to almost nothing is refused from its size', async () => {
    const { comment } = await openPullRequest((dir) => {
      execFileSync('sh', ['-c', `head -c 400000000 /dev/zero | tr '\\0' 'a' > "${dir}/servers/huge.yaml"`]);
    });
    fs.rmSync(path.join(remote.pusher.dir, 'servers/huge.yaml'), { force: true });
    assert.match(comment, /servers\/huge\.yaml:1:1: error: file is 400000000 bytes, over the limit/);
  });

  test('5,000 files are planned (or refused) within the limits', async () => {
    const { comment } = await openPullRequest((dir) => {
      for (let i = 0; i < 5000; i++)
        writeFile(
          dir,
          `servers/gen/s${i}.yaml`,
          `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: gen-${i}\nspec:\n  remote: { url: "https://example.invalid/${i}/mcp" }\n  transport: streamable-http\n`,
        );
    });
    assert.match(comment, /### mcp-gitops plan/);
    assert.ok(comment.length <= 65_536);
  });

  test('YAML nested thousands of levels deep is an error, not a crash', async () => {
    const { comment } = await openPullRequest((dir) =>
      writeFile(
        dir,
        'servers/deep.yaml',
        `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: deep\nspec:\n  env:\n    X: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
      ),
    );
    assert.match(comment, /invalid/);
    assert.match(comment, /servers\/deep\.yaml:\d+:\d+: error:/);
  });

  test('a pull request from a fork is validated only: no target is observed', async () => {
    const before = counters.socket.connections;
    const { comment } = await openPullRequest(
      (dir) =>
        writeFile(
          dir,
          'environments/evil.yaml',
          envYaml(
            'evil',
            `    - name: sock\n      provider: container\n      socket: ${counters.socket.where}\n`,
          ),
        ),
      { fork: true },
    );
    assert.equal(counters.socket.connections, before);
    assert.match(
      comment,
      /\*\*The configuration is valid\.\*\* It was validated, not planned: it comes from a fork/,
    );
    assert.equal(serve.jobs.lastPullRequest?.status, 'validated');
  });
});
