/**
 * `npm run quickstart` (the README's first command) as a new user runs it: a fresh temp repo and
 * home, a real reconcile, the tag, and no daemon left behind.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { stopProcess } from '../helpers/mcp-servers.js';

const QUICKSTART_PORT = 38101; // examples/quickstart/servers/everything.yaml

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('npm run quickstart reconciles a fresh copy, tags dev/v1.0.0, and stops what it started', async (t) => {
  if (await listening(QUICKSTART_PORT)) {
    t.skip(`port ${QUICKSTART_PORT} is in use (a quickstart left running with --keep?)`);
    return;
  }
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/quickstart.ts'], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, CI: '1' },
  });
  const repo = /Quickstart config repo: (\S+)/.exec(run.stdout)?.[1];
  t.after(async () => {
    if (!repo) return;
    // Whatever happened, stop anything the run left behind (by pidfile), then remove its temp dir.
    const servers = path.join(path.dirname(repo), 'home', '.mcp-gitops', 'servers', 'dev');
    for (const name of fs.existsSync(servers) ? fs.readdirSync(servers) : []) {
      const pidfile = path.join(servers, name, 'pid');
      if (fs.existsSync(pidfile)) await stopProcess(Number(fs.readFileSync(pidfile, 'utf8').trim()), 2000);
    }
    fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.ok(
    repo?.startsWith(path.join(os.tmpdir(), 'mcp-gitops-quickstart-')),
    'a repo of its own under the temp dir',
  );
  assert.match(run.stdout, /Tagged dev\/v1\.0\.0/);
  assert.match(run.stdout, /tag: +dev\/v1\.0\.0/);
  assert.match(run.stdout, /cat \S+\/reports\/dev\/README\.md/);
  assert.match(run.stdout, /everything: stopped/);
  assert.equal(
    execFileSync('git', ['-C', repo as string, 'tag', '-l'], { encoding: 'utf8' }).trim(),
    'dev/v1.0.0',
  );
  assert.match(
    fs.readFileSync(path.join(repo as string, 'reports/dev/README.md'), 'utf8'),
    /Environment `dev`/,
  );
  assert.equal(await listening(QUICKSTART_PORT), false, 'no daemon is left behind');
});
