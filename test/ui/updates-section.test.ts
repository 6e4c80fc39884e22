/**
 * The Updates section and the last report it is read from: the report survives a process (saved
 * atomically, read back the same), a corrupt or oversized file reads as none with a warning and
 * the page still renders, hostile registry text (markup, bidi, a `javascript:` link) is shown
 * inert, and the real `ui` process and the real `status --format html` export both show it from
 * the state dir the checkout's last run was saved in.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { liveLinks } from '../../src/ui/links.js';
import { UiSite } from '../../src/ui/site.js';
import {
  LAST_REPORT_FILE,
  readLastReport,
  saveLastReport,
  updatesCacheDir,
} from '../../src/updates/last-report.js';
import { BIN, cliRunner } from '../helpers/cli.js';
import { report, reportsRepo } from './fixture.js';
import { HOSTILE_DETAIL, HOSTILE_VERSION, hostileReport, mixedReport, outcomes } from './updates-fixture.js';

const state = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-updates-ui-'));
const repo = reportsRepo([report('dev', 'laptop', 2)]);
after(() => {
  repo.cleanup();
  fs.rmSync(state, { recursive: true, force: true });
});

function site(cacheDir: string): UiSite {
  return new UiSite({
    checkout: () => repo.dir,
    reportsDir: () => 'reports',
    remote: '',
    updates: () => readLastReport(cacheDir),
  });
}

test('the last report is read back as saved; missing is none; a symlinked checkout is the same folder', async () => {
  const dir = updatesCacheDir(state, repo.dir);
  assert.deepEqual(await readLastReport(dir), {});
  const link = path.join(state, 'link-to-checkout');
  fs.symlinkSync(repo.dir, link);
  assert.equal(updatesCacheDir(state, link), dir);
  const at = new Date('2026-12-05T12:01:00.000Z');
  const file = await saveLastReport(dir, mixedReport(), outcomes(), at);
  assert.equal(file, path.join(dir, LAST_REPORT_FILE));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(fs.readdirSync(dir), [LAST_REPORT_FILE], 'no temp file left');
  const read = await readLastReport(dir);
  assert.equal(read.warning, undefined);
  assert.deepEqual(read.last, { savedAt: at.toISOString(), report: mixedReport(), outcomes: outcomes() });
});

test('a corrupt, mis-shaped or oversized file reads as none with a warning, and the page still renders', async () => {
  const dir = path.join(state, 'corrupt');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LAST_REPORT_FILE);
  for (const [text, why] of [
    ['{"savedAt": "2026-12-05T', /not JSON/],
    [JSON.stringify({ savedAt: '2026-12-05T12:00:00Z', report: { servers: 'x' } }), /not an updates report/],
    [
      JSON.stringify({
        savedAt: '2026-12-05T12:00:00Z',
        report: mixedReport(),
        outcomes: [{ action: 'pwn' }],
      }),
      /outcomes/,
    ],
  ] as const) {
    fs.writeFileSync(file, text);
    const read = await readLastReport(dir);
    assert.equal(read.last, undefined);
    assert.match(read.warning ?? '', why);
    const page = await site(dir).render('/', liveLinks);
    assert.equal(page.status, 200);
    assert.match(page.html, /data-testid="updates-warning"/);
    assert.match(page.html, /No updates run saved yet/);
    assert.match(page.html, /data-testid="env-dev"/, 'the rest of the page is there');
  }
  fs.truncateSync(file, 33 * 1024 * 1024);
  assert.match((await readLastReport(dir)).warning ?? '', /larger than 32 MiB/);
  fs.rmSync(file);
  fs.mkdirSync(file);
  assert.match((await readLastReport(dir)).warning ?? '', /cannot read/);
});

test('the section shows current, proposed, held and why, errors and the PR; hostile registry text is inert', async () => {
  const dir = path.join(state, 'hostile');
  await saveLastReport(dir, mixedReport(), outcomes());
  const ok = (await site(dir).render('/', liveLinks)).html;
  const row = /<tr data-testid="update-fetch-dev">.*?<\/tr>/s.exec(ok)?.[0] ?? '';
  assert.match(row, /<code>1\.0\.0<\/code>/);
  assert.match(
    row,
    /href="https:\/\/www\.npmjs\.com\/package\/@acme\/fetch" rel="noreferrer"><code>1\.2\.0<\/code>/,
  );
  assert.match(row, /1 held.*2\.0\.0: major; policy allows minor/s);
  assert.match(
    row,
    /href="https:\/\/github\.com\/acme\/config\/pull\/7" rel="noreferrer">#7<\/a> <span class="badge b-opened"/,
  );
  assert.match(ok, /data-testid="update-files-dev">.*did not answer within 10s/s);
  assert.match(ok, /data-testid="update-notes-dev">.*2 held.*too young \(published 5 h ago; minimum 3d\)/s);
  assert.match(ok, /data-testid="update-remote-dev">.*skipped: remote server/s);
  assert.match(ok, /1 proposed, 1 could not be checked, 4 registry requests/);

  await saveLastReport(dir, hostileReport());
  const page = (await site(dir).render('/', liveLinks)).html;
  const html = /<section data-testid="updates">.*<\/section>/s.exec(page)?.[0] ?? '';
  assert.match(html, /from <code>http:\/\/127\.0\.0\.1:4873\/&#60;b&#62;evil&#60;\/b&#62;<\/code>/);
  assert.doesNotMatch(html, /<img|<iframe|<script|<b>evil/);
  assert.doesNotMatch(html, /javascript:/, 'a non-web link is not a link');
  assert.ok(!html.includes('\u202e') && !html.includes('\u202E'), 'no raw bidi override');
  assert.ok(html.includes('1.3.0&#60;img src=x onerror=alert(1)&#62;'), 'the version shown as text');
  assert.ok(html.includes('\\u202e'), 'the override shown as an escape');
  assert.ok(!html.includes(HOSTILE_VERSION) && !html.includes(HOSTILE_DETAIL));
  assert.match(html, /data-testid="update-fetch-dev">/);
});

test('ui and the static export show the Updates section from the state dir of the checkout', async () => {
  await saveLastReport(updatesCacheDir(state, repo.dir), mixedReport(), outcomes());
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-updates-export-'));
  try {
    const res = await cliRunner({ MCP_GITOPS_STATE_DIR: state }).run([
      'status',
      '--repo',
      repo.dir,
      '--format',
      'html',
      '--out',
      out,
    ]);
    assert.equal(res.code, 0, res.stderr);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    assert.match(index, /<h2 id="updates">Updates<\/h2>/);
    assert.match(index, /data-testid="update-fetch-dev">.*1\.2\.0/s);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }

  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'ui', '--repo', repo.dir, '--listen', '127.0.0.1:0'],
    {
      env: { ...process.env, MCP_GITOPS_STATE_DIR: state },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  try {
    let logs = '';
    const base = await new Promise<string>((resolve, reject) => {
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
    const page = await (await fetch(`${base}/`)).text();
    assert.match(page, /data-testid="update-fetch-dev">.*#7/s);
    // A newer run saved while ui runs is what the next page shows.
    await saveLastReport(updatesCacheDir(state, repo.dir), hostileReport());
    const next = await (await fetch(`${base}/`)).text();
    assert.doesNotMatch(next, /#7/);
    assert.doesNotMatch(next, /<img/);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
