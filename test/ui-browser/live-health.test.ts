/**
 * The overview updates itself: headless chromium holds `/` open against a real `serve` whose
 * steady loop runs every few seconds; the test kills `tiny`'s launcher (process target, drift:
 * warn, so it stays down) and the environment's health badge turns unhealthy within about one
 * interval — through `/events` (Server-Sent Events) and a swap of `<main>`, not a reload: a marker
 * set on `window` before the kill is still there, and there was one navigation. A keyboard user's
 * focus survives such an update.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, withPage } from '../helpers/browser.js';
import { isProcessAlive, waitFor } from '../helpers/mcp-servers.js';
import { startUiFixture, type UiFixture } from './fixture.js';

const INTERVAL_MS = 3000;
let fixture: UiFixture;
let browser: Browser;

before(async () => {
  // One at a time: a failed start of either must leave nothing running (after() stops what was set).
  browser = await launchBrowser();
  fixture = await startUiFixture({ intervalMs: INTERVAL_MS });
});
after(async () => {
  await browser?.close();
  await fixture?.stop();
});

describe('overview: live health over SSE', { timeout: 240_000 }, () => {
  test('a killed server turns the overview unhealthy within one interval, without a reload', async (t) => {
    await withPage(browser, async (page, errors) => {
      const streams: string[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname === '/events') streams.push(r.url());
      });
      await page.goto(`${fixture.url}/`);
      const badge = page.getByTestId('health-ui');
      assert.match((await badge.textContent()) ?? '', /\bhealthy\b/);
      assert.doesNotMatch((await badge.textContent()) ?? '', /unhealthy/);
      await waitFor(() => streams.length > 0, { timeoutMs: 10_000, what: 'the page to open /events' });
      await page.evaluate(() => {
        (window as unknown as { __marker: string }).__marker = 'same document';
      });

      const pid = fixture.tinyPid();
      // The kill is seen by the first steady pass that starts after it, so a pass's own time
      // counts too: measured from the steady passes so far (not startup's, which also applied).
      const steady = () => fixture.events.filter((e) => e.environment === 'ui' && e.trigger === 'interval');
      await waitFor(() => steady().length >= 2, { timeoutMs: 30_000, what: 'two steady passes' });
      const passMs = Math.max(...steady().map((e) => e.durationSeconds * 1000));
      process.kill(pid, 'SIGKILL');
      const killedAt = Date.now();
      await waitFor(() => !isProcessAlive(pid), { timeoutMs: 10_000, what: 'the launcher to die' });
      // (a pass may be under way at the kill; the one that sees it also commits and pushes a report)
      const budget = INTERVAL_MS * 1.1 + 2 * passMs + 3000;
      await waitFor(async () => /unhealthy/.test((await badge.textContent()) ?? ''), {
        timeoutMs: budget,
        intervalMs: 100,
        what: `the health badge to say unhealthy (budget ${Math.round(budget)} ms)`,
      });
      const tookMs = Date.now() - killedAt;
      t.diagnostic(
        `kill -> unhealthy on the open page: ${tookMs} ms (interval ${INTERVAL_MS} ms, steady pass up to ${Math.round(passMs)} ms, budget ${Math.round(budget)} ms)`,
      );

      const after = await page.evaluate(() => ({
        marker: (window as unknown as { __marker?: string }).__marker,
        navigations: performance.getEntriesByType('navigation').length,
        url: location.pathname,
      }));
      assert.deepEqual(after, { marker: 'same document', navigations: 1, url: '/' });
      assert.match(await page.getByTestId('health-counts').innerText(), /unhealthy\s+1 server\b/);
      // What the committed report says is what the page says.
      const entry = fixture.report('ui', 'vm').inventory.find((e) => e.server === 'tiny');
      assert.equal(entry?.health, 'unhealthy');
      assert.equal(streams.length >= 1, true);
      assert.deepEqual(errors, []);
    });
  });

  test('a live update keeps keyboard focus where it was (a link, a row picked with j)', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${fixture.url}/env/ui`);
      const updated = async () => {
        await page.evaluate(() => {
          document.getElementById('live-status')!.textContent = '';
        });
        await waitFor(async () => /updated/.test(await page.locator('#live-status').innerText()), {
          timeoutMs: 60_000,
          intervalMs: 100,
          what: 'a live update of the page',
        });
      };
      await page.locator('main a[href="/env/ui/server/surface"]').focus();
      await updated();
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('href')),
        '/env/ui/server/surface',
        'focus stayed on the link',
      );
      // j moves focus to a row; an update keeps it on that row.
      await page.locator('#main').focus();
      await page.keyboard.press('j');
      const row = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      assert.match(row ?? '', /^server-ui-/);
      await updated();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), row);
    });
  });

  test('a live update keeps open what the reader opened (an input schema)', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${fixture.url}/env/ui/server/surface`);
      const schema = page.getByTestId('tool-add').locator('details');
      await schema.locator('summary').click();
      assert.equal(await schema.evaluate((d) => (d as HTMLDetailsElement).open), true);
      await page.evaluate(() => {
        document.getElementById('live-status')!.textContent = '';
      });
      await waitFor(async () => /updated/.test(await page.locator('#live-status').innerText()), {
        timeoutMs: 60_000,
        intervalMs: 100,
        what: 'a live update of the page',
      });
      assert.equal(await schema.evaluate((d) => (d as HTMLDetailsElement).open), true);
      assert.ok(await page.getByTestId('tool-add').locator('pre').last().isVisible(), 'the schema is shown');
    });
  });
});
