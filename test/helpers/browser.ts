/**
 * Headless Debian chromium for the browser test tier, driven by playwright-core with an explicit
 * `executablePath` (a browser is never downloaded). One browser per test file (`launchBrowser` in
 * `before`, `close` in `after`), a fresh context and page per test (`withPage`), always closed,
 * even when the test throws. A context's options carry what a test is about: viewport,
 * `colorScheme`, `javaScriptEnabled`.
 */
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { requireTools } from './require-tools.js';

// A file that uses the browser fails at load without it (naming the package), never skips.
requireTools('chromium');

export const CHROMIUM = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    timeout: 60_000,
  });
}

/**
 * Runs `fn` with a page in its own context and closes both after. Page errors (an exception a
 * page's script threw) are collected into `errors` so a test can assert there were none.
 */
export async function withPage<T>(
  browser: Browser,
  fn: (page: Page, errors: string[]) => Promise<T>,
  options: BrowserContextOptions = {},
): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const errors: string[] = [];
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => errors.push(e.message));
    return await fn(page, errors);
  } finally {
    await context.close();
  }
}
