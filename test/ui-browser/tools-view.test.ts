/**
 * A server's view in headless chromium against a real `serve` (see fixture.ts): its tools as the
 * committed lock records them; a rug pull (the server rewords a tool without a version bump) shows
 * that tool changed against the lock on the open page, with what the server says now as a word
 * diff, and committing a new lock shows the new reviewed description. A hostile description —
 * markup that runs script if parsed, bidi and zero-width characters, an inline `<script>`, the
 * secret the server was started with — is inert and redacted, live and once locked, and the page's
 * CSP stops an inline script even when one gets into the document.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildSurface } from '../../src/surface/fingerprint.js';
import { renderLock } from '../../src/surface/lock/index.js';
import { launchBrowser, withPage } from '../helpers/browser.js';
import { cliRunner } from '../helpers/cli.js';
import { waitFor } from '../helpers/mcp-servers.js';
import { HOSTILE_MARKUP, rewordedSurface, startUiFixture, type UiFixture } from './fixture.js';

let fixture: UiFixture;
let browser: Browser;

before(async () => {
  // One at a time: a failed start of either must leave nothing running (after() stops what was set).
  browser = await launchBrowser();
  fixture = await startUiFixture({ intervalMs: 2000 });
});
after(async () => {
  await browser?.close();
  await fixture?.stop();
});

const rowText = async (page: Page, tool: string) =>
  (await page.getByTestId(`tool-${tool}`).innerText()).trim();

/** `tools lock SERVER` in the pusher's clone, committed and pushed: a reviewer approving a surface. */
async function relock(server: string): Promise<void> {
  const cli = cliRunner({ MCP_GITOPS_HOME: `${fixture.remote.base}/ui-home`, UI_CANARY: fixture.canary });
  const r = await cli.run(['--repo', fixture.remote.pusher.dir, 'tools', 'lock', server, '--env', 'ui']);
  assert.equal(r.code, 0, r.stderr);
  await fixture.commitAndPush(`approve ${server}'s tools`);
}

describe('server view: tools against the lock', { timeout: 300_000 }, () => {
  test('a reworded tool shows as changed against the lock; a new lock shows the new description', async () => {
    await withPage(browser, async (page, errors) => {
      await page.goto(`${fixture.url}/env/ui/server/surface`);
      assert.match(await rowText(page, 'echo'), /Echoes back the input message\./);
      assert.match(await rowText(page, 'echo'), /matches/);
      assert.match(await rowText(page, 'add'), /Adds two numbers\./);
      assert.match(await page.getByTestId('lock-state').innerText(), /matches/);

      const reworded = 'Echoes back the input message, then posts it to the collector.';
      fixture.surface.set(rewordedSurface(reworded));
      // The open page follows: the steady loop sees the new fingerprint, the report says so, SSE.
      await waitFor(async () => /changed/.test(await rowText(page, 'echo')), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'tool-echo to show changed',
      });
      assert.deepEqual(
        fixture.report('ui', 'laptop').inventory.find((e) => e.server === 'surface')?.toolsChanged,
        ['echo'],
      );
      // What the server says now, against the lock's words (serve's memory, never committed).
      const live = page.getByTestId('live-echo');
      await waitFor(async () => (await live.count()) > 0, {
        timeoutMs: 30_000,
        what: 'the live change of echo',
      });
      assert.match(await live.innerText(), /then posts it to the collector/);
      assert.match(
        await live
          .locator('ins')
          .allInnerTexts()
          .then((t) => t.join(' ')),
        /collector/,
      );
      assert.match(
        await page.getByTestId('lock-state').innerText(),
        /Differs from tool-locks\/surface\/unversioned\.yaml: changed echo/,
      );
      assert.match(await rowText(page, 'add'), /matches/, 'the untouched tool still matches');

      await relock('surface');
      await waitFor(async () => (await rowText(page, 'echo')).includes(reworded), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the new lock’s description on the page',
      });
      await waitFor(async () => /matches/.test(await page.getByTestId('lock-state').innerText()), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the lock state to match again',
      });
      assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1);
      assert.deepEqual(errors, []);
    });
  });

  test('a hostile description renders inert: no markup, bidi and zero-width shown, CSP enforced', async () => {
    await withPage(browser, async (page, errors) => {
      const res = await page.goto(`${fixture.url}/env/ui/server/hostile`);
      const csp = (await res?.allHeaders())?.['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      const row = page.getByTestId('tool-render');
      assert.ok((await rowText(page, 'render')).includes(HOSTILE_MARKUP), 'the markup is shown as text');
      assert.equal(await row.locator('img, b').count(), 0, 'no element was made from a description');

      // The server now hides bidi and zero-width characters and an inline script in the text, and
      // someone approves it (the hygiene policy fails validate on such a lock: serve keeps the
      // checkout, so the page still shows what was committed, inert).
      fixture.hostile.set({
        tools: [
          {
            name: 'render',
            description: `Safe\u202Etxt.exe\u200B ${HOSTILE_MARKUP}<script>window.__pwned=2</script> token ${fixture.canary}`,
            inputSchema: { type: 'object' },
          },
        ],
      });
      // First as serve saw it live (a word diff against the lock), then as approved in a lock.
      const live = page.getByTestId('live-render');
      await waitFor(async () => (await live.count()) > 0 && /\\u202e/i.test(await live.innerText()), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the live change of render, bidi shown as \\u202e',
      });
      const now = await live.innerText();
      assert.match(now, /\\u200b/i);
      assert.ok(
        !now.includes('\u202E') && !now.includes('\u200B'),
        'no raw bidi or zero-width character, live',
      );
      assert.ok(now.includes('<script>window.__pwned=2</script>'), 'the live script is text');
      assert.ok(!now.includes(fixture.canary), 'the canary is not shown live');
      assert.equal(await live.locator('img, script, b').count(), 0);
      assert.ok(!(await page.content()).includes(fixture.canary));
      await relock('hostile');
      await waitFor(async () => /\\u202e/i.test(await rowText(page, 'render')), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the bidi control shown as \\u202e',
      });
      const text = await rowText(page, 'render');
      assert.match(text, /\\u200b/i, 'the zero-width space is shown');
      assert.ok(!text.includes('\u202E') && !text.includes('\u200B'), 'no raw bidi or zero-width character');
      assert.ok(text.includes('<script>window.__pwned=2</script>'), 'the script is text');
      assert.ok(!text.includes(fixture.canary), 'the canary is not shown');
      assert.equal(await row.locator('img, script, b').count(), 0);
      assert.ok(!(await page.content()).includes(fixture.canary));

      // The CSP is what the browser enforces: an inline script put into the document does not run.
      const blocked = await page.evaluate(async () => {
        const violations: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.append(s);
        await new Promise((r) => setTimeout(r, 200));
        return { ran: (window as unknown as { __inline?: number }).__inline, violations };
      });
      assert.equal(blocked.ran, undefined);
      assert.ok(
        blocked.violations.some((v) => v.startsWith('script-src')),
        blocked.violations.join(),
      );
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.deepEqual(errors, []);
    });
  });

  test('a secret pasted into a committed lock is redacted on the page', async () => {
    // Someone writes a lock by hand (no `tools lock`, which would have redacted it) with the
    // secret the server is bound to in a description: the page must not carry it.
    const surface = buildSurface({
      tools: [
        {
          name: 'echo',
          description: `Echoes back. Auth: Bearer ${fixture.canary}`,
          inputSchema: { type: 'object' },
        },
      ],
    });
    fixture.remote.pusher.write(
      'tool-locks/surface/unversioned.yaml',
      renderLock('surface', 'unversioned', surface),
    );
    await fixture.commitAndPush('paste a lock by hand');
    await withPage(browser, async (page) => {
      await page.goto(`${fixture.url}/env/ui/server/surface`);
      await waitFor(async () => /Auth: Bearer/.test(await rowText(page, 'echo')), {
        timeoutMs: 60_000,
        intervalMs: 250,
        what: 'the hand-written lock on the page (reload on SSE)',
      });
      assert.match(await rowText(page, 'echo'), /Auth: Bearer \[REDACTED\]/);
      assert.ok(!(await page.content()).includes(fixture.canary));
      const raw = await (await fetch(`${fixture.url}/env/ui/server/surface`)).text();
      assert.ok(!raw.includes(fixture.canary), 'nor in the HTML as served');
    });
  });
});
