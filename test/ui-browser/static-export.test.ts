/**
 * The static export (`status --format html --out DIR`, the real CLI) opened from disk in headless
 * chromium, the way someone opens a CI artifact: `file://…/index.html` with JavaScript off. A
 * reader clicks from the overview to an environment, a server, the history, a run and the drift
 * page; each click lands on a page (relative links resolve in a real browser, at any depth), the
 * stylesheet applies (the skip link is hidden until focused), hostile text stays text, and the
 * overview is photographed into test-artifacts/ui/.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, withPage } from '../helpers/browser.js';
import { cliRunner } from '../helpers/cli.js';
import { report, reportsRepo } from '../ui/fixture.js';
import { pngSize, SCREENSHOT_DIR } from './screenshots.js';

const repo = reportsRepo(
  [report('dev', 'laptop', 5, { drift: [{ server: 's0001', paths: ['env.LOG'] }] }), report('prod', 'vm', 2)],
  'https://github.com/acme/config.git',
);
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-ui-static-'));
let browser: Browser;

before(async () => {
  const res = await cliRunner({}).run(['status', '--repo', repo.dir, '--format', 'html', '--out', out]);
  assert.equal(res.code, 0, res.stderr);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  repo.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

/** Follows the link named `name` inside `scope` and returns the new page's path inside the export. */
async function follow(page: Page, name: string | RegExp, scope = 'main'): Promise<string> {
  await Promise.all([
    page.waitForEvent('load'),
    page.locator(scope).getByRole('link', { name }).first().click(),
  ]);
  return path.relative(out, decodeURIComponent(new URL(page.url()).pathname));
}

test('from disk with JavaScript off: every view by clicking, the stylesheet applied, text inert', async () => {
  await withPage(
    browser,
    async (page) => {
      await page.goto(pathToFileURL(path.join(out, 'index.html')).href);
      // The stylesheet loaded from the relative assets/ path: the skip link sits off screen until focused.
      const skip = page.locator('a[href="#main"]');
      const hidden = await skip.boundingBox();
      assert.ok(
        hidden === null || hidden.y + hidden.height <= 0 || hidden.x + hidden.width <= 0,
        'skip link hidden',
      );
      assert.equal(await page.locator('script').count(), 0);

      assert.equal(await follow(page, 'dev'), 'env/dev/index.html');
      assert.match(await page.getByTestId('health-dev-laptop-s0003').innerText(), /unhealthy/);
      assert.equal(await follow(page, 's0000'), 'env/dev/server/s0000/index.html');
      const echo = await page.getByTestId('tool-echo').innerText();
      assert.ok(echo.includes('<img src=x onerror=alert(1)>'), 'the markup is text');
      assert.match(echo, /\\u202egnp\.exe\\u200b/);
      assert.equal(await page.locator('main img, main b').count(), 0);
      // Back up from three levels down by the site navigation.
      assert.equal(await follow(page, 'History', 'header'), 'history/index.html');
      const run = await follow(page, /reconcile\(dev\)|[0-9a-f]{12}/);
      assert.match(run, /^history\/[0-9a-f]{40}\/index\.html$/);
      assert.equal(await follow(page, 'Drift', 'header'), 'drift/index.html');
      assert.match(await page.getByTestId('drift-list').innerText(), /s0001/);
      assert.equal(await follow(page, 'Overview', 'header'), 'index.html');

      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, 'static-export-overview-desktop-light.png');
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(pngSize(file).bytes > 4000);
    },
    { javaScriptEnabled: false },
  );
});
