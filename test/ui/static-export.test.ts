/**
 * `status --format html --out DIR` through the real CLI on a real git repository: every page is
 * a file, every relative link and the stylesheet resolve to files in the folder, no page has a
 * script, and hostile text is inert.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { HOSTILE, report, reportsRepo } from './fixture.js';

const CANARY = 'cAnArY-ui-export-4e1b9c';
const repo = reportsRepo(
  [
    report('dev', 'laptop', 5, { drift: [{ server: 's0001', paths: ['env.LOG'] }] }),
    report('prod', 'vm', 2, { host: HOSTILE }),
  ],
  `https://x-access-token:${CANARY}@github.com/acme/config.git`,
);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-ui-export-'));
after(() => {
  repo.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

test('the export holds every page, linked relatively, without scripts or secrets', async () => {
  const cli = cliRunner({});
  const res = await cli.run(['status', '--repo', repo.dir, '--format', 'html', '--out', out]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /wrote \d+ files/);
  const files = walk(out)
    .map((f) => path.relative(out, f))
    .sort();
  const head = repo.git('rev-parse', 'HEAD');
  for (const want of [
    'index.html',
    'env/dev/index.html',
    'env/prod/index.html',
    'env/dev/server/s0000/index.html',
    'env/prod/server/s0001/index.html',
    'history/index.html',
    `history/${head}/index.html`,
    'drift/index.html',
  ])
    assert.ok(files.includes(want), `${want} in ${files.join(', ')}`);
  assert.ok(files.some((f) => /^assets\/ui\.[0-9a-f]{12}\.css$/.test(f)));
  for (const f of files.filter((x) => x.endsWith('.html'))) {
    const html = fs.readFileSync(path.join(out, f), 'utf8');
    assert.doesNotMatch(html, /<script/, f);
    assert.doesNotMatch(html, /<img/, f);
    assert.ok(!html.includes('\u202E') && !html.includes('\u200B'), `${f}: raw bidi or zero-width`);
    assert.ok(!html.includes(CANARY), `${f}: the remote's token`);
    for (const [, href] of html.matchAll(/(?:href)="([^"#:]+)"/g)) {
      const target = path.resolve(path.dirname(path.join(out, f)), decodeURI(href as string));
      assert.ok(fs.existsSync(target), `${f} links to ${href}, missing`);
    }
  }
  const server = fs.readFileSync(path.join(out, 'env/dev/server/s0000/index.html'), 'utf8');
  assert.match(server, /data-testid="tool-echo"/);
  assert.match(server, /Echoes &#60;img src=x onerror=alert\(1\)&#62;/);
  assert.match(server, /\\u202egnp\.exe\\u200b/);
  assert.match(
    fs.readFileSync(path.join(out, 'history/index.html'), 'utf8'),
    new RegExp(`https://github.com/acme/config/commit/${head}`),
  );
});

test('--format html without --out is a usage error', async () => {
  const res = await cliRunner({}).run(['status', '--repo', repo.dir, '--format', 'html']);
  assert.notEqual(res.code, 0);
  assert.match(res.stderr, /--out/);
});
