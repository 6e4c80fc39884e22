/**
 * The real `mcp-gitops ui` process over HTTP: every route answers with the strict CSP, other
 * methods get 405, assets are immutable, a canary secret in the remote URL never reaches a page,
 * and a report changed on disk reaches an open `/events` stream as an update.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { BIN, cliRunner } from '../helpers/cli.js';
import { HOSTILE, report, reportsRepo } from './fixture.js';

const CANARY = 'cAnArY-ui-http-93c2d1e0f7';
const repo = reportsRepo(
  [
    report('dev', 'laptop', 3, { drift: [{ server: 's0002', paths: ['env.LOG'] }] }),
    report('prod', 'vm', 1, { host: HOSTILE }),
  ],
  `https://x-access-token:${CANARY}@github.com/acme/config.git`,
);
let child: ChildProcess;
let base = '';
let logs = '';

before(async () => {
  child = spawn(process.execPath, [BIN, 'ui', '--repo', repo.dir, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, MCP_GITOPS_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    logs += d.toString();
  });
  base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ui did not start:\n${logs}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => {
      logs += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(logs);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`ui exited ${code}:\n${logs}`)));
  });
});

after(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  repo.cleanup();
});

const PAGES = [
  '/',
  '/env/dev',
  '/env/prod',
  '/env/dev/server/s0000',
  '/env/prod/server/s0000',
  '/history',
  '/drift',
];

test('every page answers 200 with the strict CSP, escaped, without the canary', async () => {
  const head = repo.git('rev-parse', 'HEAD');
  for (const p of [...PAGES, `/history/${head}`]) {
    const res = await fetch(base + p);
    const html = await res.text();
    assert.equal(res.status, 200, p);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/, p);
    assert.match(csp, /script-src 'self'(;|$)/, p);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(html, /<main id="main"/, p);
    assert.doesNotMatch(html, /<script>|<img|\son\w+="/, p);
    assert.ok(!html.includes(CANARY), `${p} shows the canary`);
    assert.ok(!html.includes('\u202E'), `${p} has a raw bidi control`);
  }
  const env = await (await fetch(`${base}/env/dev`)).text();
  assert.match(env, /data-testid="server-dev-laptop-s0000"/);
  assert.match(env, /data-testid="health-dev-laptop-s0000"/);
  const drift = await (await fetch(`${base}/drift`)).text();
  assert.match(drift, /data-testid="drift-list"/);
  const overview = await (await fetch(`${base}/`)).text();
  assert.match(overview, /github\.com\/acme\/config\.git/, 'the remote, without its credentials');
});

test('unknown pages are 404 pages with the CSP; HEAD works; assets are immutable', async () => {
  for (const p of [
    '/env/nope',
    '/env/dev/server/nope',
    '/history/0000000000000000000000000000000000000000',
    '/env/dev/x/y',
  ]) {
    const res = await fetch(base + p);
    assert.equal(res.status, 404, p);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    await res.text();
  }
  assert.equal((await fetch(`${base}/nothing-here`)).status, 404);
  const head = await fetch(`${base}/env/dev`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  const html = await (await fetch(`${base}/`)).text();
  const css = /href="(\/assets\/ui\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
  const js = /src="(\/assets\/ui\.[0-9a-f]{12}\.js)"/.exec(html)?.[1];
  assert.ok(css && js);
  for (const [p, type] of [
    [css, 'text/css; charset=utf-8'],
    [js, 'text/javascript; charset=utf-8'],
  ] as const) {
    const res = await fetch(base + p);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), type);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    await res.text();
  }
});

test('anything but GET and HEAD is 405', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'])
    for (const p of ['/', '/env/dev', '/env/dev/server/s0000', '/history', '/drift', '/events']) {
      const res = await fetch(base + p, { method });
      assert.equal(res.status, 405, `${method} ${p}`);
      await res.text();
    }
});

test('a report changed on disk reaches an open /events stream, and the page shows it', async () => {
  const res = await fetch(`${base}/events`);
  assert.equal(res.status, 200);
  const reader = res.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('retry:')) text += decoder.decode((await reader.read()).value, { stream: true });
  const changed = report('dev', 'laptop', 3, { drift: [{ server: 's0002', paths: ['env.LOG'] }] });
  const e = changed.inventory[0];
  assert.ok(e);
  e.health = 'unhealthy';
  e.healthReason = 'exit 7';
  repo.write('reports/dev/laptop.json', `${JSON.stringify(changed, null, 2)}\n`);
  const deadline = Date.now() + 20_000;
  // One read in flight at a time: a read abandoned to a timeout would swallow the next chunk.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  while (!text.includes('"kind":"health"') && Date.now() < deadline) {
    pending ??= reader.read();
    const chunk = await Promise.race([
      pending,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000)),
    ]);
    if (chunk === undefined) continue;
    pending = undefined;
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  assert.match(text, /event: update\ndata: \{"kind":"health","env":"dev"\}\n\n/, text);
  await reader.cancel();
  const page = await (await fetch(`${base}/env/dev/server/s0000`)).text();
  assert.match(
    page,
    /data-testid="health-dev-laptop-s0000"><span aria-hidden="true">[^<]*<\/span> unhealthy</,
  );
  assert.match(page, /Health changes seen by this process/);
});

test('a non-loopback address needs --expose', async () => {
  const res = await cliRunner({}).run(['ui', '--repo', repo.dir, '--listen', '0.0.0.0:0'], 60_000);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /not a loopback address/);
});
