/**
 * The git HTTP client against a real `git http-backend` behind a proxy that stays silent before
 * it answers: a remote that thinks for longer than Node's global agent's 5 s socket timeout is
 * waited for, while a remote silent past the idle limit is cut off with a message that says so.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gitHttpClient } from '../../src/git/http-client.js';
import { git } from '../../src/git/iso-git.js';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.js';

let base: string;
let backend: GitHttpServer;
let proxy: http.Server;
let proxyUrl: string;
let silenceMs = 0;

before(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-http-'));
  const bare = path.join(base, 'remotes', 'r.git');
  fs.mkdirSync(path.dirname(bare));
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = path.join(base, 'work');
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  fs.writeFileSync(path.join(work, 'a.yaml'), 'a: 1\n');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@x',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@x',
  };
  execFileSync('git', ['-C', work, 'add', '-A'], { env });
  execFileSync('git', ['-C', work, 'commit', '-q', '-m', 'one'], { env });
  execFileSync('git', ['-C', work, 'push', '-q', bare, 'main'], { env });
  backend = await startGitHttpServer(path.join(base, 'remotes'));
  // Forwards to the backend, holding every response back for `silenceMs` first.
  proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', backend.url);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      setTimeout(() => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      }, silenceMs);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/r.git`;
});

after(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  await backend?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

function clone(dir: string, http: ReturnType<typeof gitHttpClient>) {
  return git.clone({ fs, http, dir: path.join(base, dir), url: proxyUrl, singleBranch: true, ref: 'main' });
}

describe('git HTTP client', { timeout: 120_000 }, () => {
  test('waits for a remote that is silent for 7 s, longer than the global agent allows', async () => {
    silenceMs = 7000;
    await clone('slow', gitHttpClient());
    assert.equal(fs.readFileSync(path.join(base, 'slow', 'a.yaml'), 'utf8'), 'a: 1\n');
  });

  test('cuts off a remote silent past the idle limit, saying so', async () => {
    silenceMs = 3000;
    await assert.rejects(
      clone('idle', gitHttpClient({ idleTimeoutMs: 1000, totalTimeoutMs: 60_000 })),
      /the git server sent nothing for 1 s/,
    );
  });
});
