/**
 * The leash on untrusted work: a child over its memory cap, past its deadline or writing too much
 * is stopped with its whole process group, and says why; a pull request's head is fetched from a
 * real HTTP git remote shallowly, with the token, and refused when its pack passes the byte cap.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fetchPullHead } from '../../src/pr-plan/fetch-pull-head.js';
import { runBounded } from '../../src/pr-plan/run-bounded.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';

const node = process.execPath;
const quick = { timeoutMs: 20_000, maxStdoutBytes: 1024 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runBounded', { timeout: 60_000 }, () => {
  const cwd = os.tmpdir();

  test('a child that grows past its memory cap is killed and reported as such', async () => {
    const script = 'const keep = []; setInterval(() => keep.push(Buffer.alloc(32 << 20, 1)), 5);';
    const res = await runBounded(node, ['-e', script], {
      env: { PATH: process.env.PATH },
      cwd,
      limits: { ...quick, maxRssBytes: 200 * 1024 * 1024 },
    });
    assert.equal(res.end.kind, 'memory');
    assert.ok(res.peakRssBytes > 200 * 1024 * 1024);
  });

  test('a child past its deadline is killed with the helpers it started', async () => {
    const pidFile = path.join(cwd, `mcp-gitops-grandchild-${process.pid}`);
    const script = `const c = require('child_process').spawn('sleep', ['60'], { stdio: 'ignore' }); require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
    const res = await runBounded(node, ['-e', script], {
      env: { PATH: process.env.PATH },
      cwd,
      limits: { ...quick, timeoutMs: 1500 },
    });
    assert.equal(res.end.kind, 'timeout');
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    fs.rmSync(pidFile);
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(alive(grandchild), false, 'the sleep it started is gone too');
  });

  test('output past the cap stops the child; exit codes and stderr come back', async () => {
    const loud = await runBounded(node, ['-e', 'process.stdout.write("x".repeat(1 << 20))'], {
      env: {},
      cwd,
      limits: quick,
    });
    assert.equal(loud.end.kind, 'output');
    const failed = await runBounded(node, ['-e', 'console.error("boom"); process.exit(3)'], {
      env: {},
      cwd,
      limits: quick,
    });
    assert.deepEqual(failed.end, { kind: 'exited', code: 3 });
    assert.match(failed.stderr, /boom/);
    const input = await runBounded(node, ['-e', 'process.stdin.pipe(process.stdout)'], {
      env: {},
      cwd,
      input: 'hello',
      limits: quick,
    });
    assert.equal(input.stdout.toString(), 'hello');
  });
});

describe('fetchPullHead', { timeout: 120_000 }, () => {
  const TOKEN = 'ghs_fetchtoken0123456789';
  let remote: ConfigRemote;
  let scratch: string;
  let head: string;

  before(async () => {
    remote = await createConfigRemote({ token: TOKEN });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-fetch-'));
    remote.pusher.git('checkout', '-q', '-b', 'feature');
    // 3 MiB that do not compress, plus history the shallow fetch must not bring.
    remote.pusher.write('data/noise.bin', randomBytes(3 * 1024 * 1024).toString('base64'));
    remote.pusher.git('add', '-A');
    remote.pusher.git('commit', '-q', '-m', 'noise');
    remote.pusher.write('servers/memory.yaml', remote.memoryServerYaml('debug'));
    remote.pusher.git('add', '-A');
    remote.pusher.git('commit', '-q', '-m', 'debug');
    await remote.pusher.pushRef('refs/pull/9/head');
    head = remote.pusher.git('rev-parse', 'HEAD');
  });
  after(async () => {
    await remote?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('fetches only the head commit, with the token', async () => {
    const dir = path.join(scratch, 'ok');
    const res = await fetchPullHead({
      url: remote.url,
      token: TOKEN,
      number: 9,
      dir,
      limits: { timeoutMs: 30_000, maxPackBytes: 50 * 1024 * 1024 },
    });
    assert.equal(res.ok && res.head, head);
    assert.ok(fs.existsSync(path.join(dir, '.git', 'shallow')), 'a shallow fetch');
  });

  test('without the token the remote refuses, and the message says the fetch failed', async () => {
    const res = await fetchPullHead({
      url: remote.url,
      number: 9,
      dir: path.join(scratch, 'noauth'),
      limits: { timeoutMs: 30_000, maxPackBytes: 50 * 1024 * 1024 },
    });
    assert.equal(res.ok, false);
    assert.equal(!res.ok && res.refusal, 'failed');
  });

  test('a pack over the byte cap is refused as too large', async () => {
    const res = await fetchPullHead({
      url: remote.url,
      token: TOKEN,
      number: 9,
      dir: path.join(scratch, 'big'),
      limits: { timeoutMs: 30_000, maxPackBytes: 1024 * 1024 },
    });
    assert.deepEqual(res, {
      ok: false,
      refusal: 'too-large',
      message: 'its git objects are more than 1 MiB compressed',
    });
  });
});
