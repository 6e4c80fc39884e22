/**
 * `mcp-gitops ui` pushes a newly saved updates run to open pages, as serve does after its
 * schedule ran: the real `ui` process over a checkout whose state dir has no updates folder yet,
 * an SSE client on `/events`, and `saveLastReport` (what `mcp-gitops updates` calls) writing the
 * checkout's last report while ui runs. The stream gets one `reconcile` update for every
 * environment (the overview, where the Updates section is, refreshes on it) and the page then
 * shows the run; a second save is pushed again.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { saveLastReport, updatesCacheDir } from '../../src/updates/last-report.js';
import { BIN } from '../helpers/cli.js';
import { report, reportsRepo } from './fixture.js';
import { hostileReport, mixedReport, outcomes } from './updates-fixture.js';

const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-updates-live-')), 'state');
const repo = reportsRepo([report('dev', 'laptop', 2)]);
let child: ChildProcess;
let base = '';
let logs = '';

before(async () => {
  child = spawn(process.execPath, [BIN, 'ui', '--repo', repo.dir, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, MCP_GITOPS_STATE_DIR: state },
    stdio: ['ignore', 'ignore', 'pipe'],
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
  fs.rmSync(path.dirname(state), { recursive: true, force: true });
});

/** An open `/events` stream: `until` reads until the text matches or the deadline passes. */
async function events() {
  const res = await fetch(`${base}/events`);
  assert.equal(res.status, 200);
  const reader = res.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let text = '';
  // One read in flight at a time: a read left behind by a timeout would swallow the next chunk.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const until = async (pattern: RegExp, ms: number) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(text) && Date.now() < deadline) {
      pending ??= reader.read();
      const chunk = await Promise.race([
        pending,
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 250)),
      ]);
      if (chunk === undefined) continue;
      pending = undefined;
      if (chunk.value) text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  };
  await until(/retry:/, 10_000);
  return { until, text: () => text, close: () => reader.cancel() };
}

const PUSHED = /event: update\ndata: \{"kind":"reconcile","env":"\*"\}\n\n/;
const pushes = (text: string) => text.split(PUSHED).length - 1;

test('a run saved while ui runs is pushed to /events and shown on the next fetch', async () => {
  const dir = updatesCacheDir(state, repo.dir);
  const stream = await events();
  try {
    const page = await (await fetch(`${base}/`)).text();
    assert.doesNotMatch(page, /data-testid="update-fetch-dev"/);
    // Nothing is pushed while nothing changes.
    assert.doesNotMatch(await stream.until(PUSHED, 1000), PUSHED);

    await saveLastReport(dir, mixedReport(), outcomes());
    assert.match(await stream.until(PUSHED, 20_000), PUSHED, logs);
    const shown = await (await fetch(`${base}/`)).text();
    assert.match(shown, /data-testid="update-fetch-dev">.*#7/s);

    // The next run is pushed too (a changed file, not only a new one), and once.
    await saveLastReport(dir, hostileReport());
    const deadline = Date.now() + 20_000;
    while (pushes(stream.text()) < 2 && Date.now() < deadline) await stream.until(/$^/, 250);
    assert.equal(pushes(stream.text()), 2, stream.text());
    await stream.until(/$^/, 1000);
    assert.equal(pushes(stream.text()), 2, 'one save, one push');
    assert.doesNotMatch(await (await fetch(`${base}/`)).text(), /#7/);
  } finally {
    await stream.close();
  }
});
