/**
 * Walks the UI the way a reader without JavaScript does: from `/`, every same-origin link on each
 * page (but assets and the event stream), breadth first, bounded. Each visited page's status,
 * headers and HTML are kept so a test can check every page, not only the ones it names.
 */
import type { Page } from 'playwright-core';

export interface CrawledPage {
  path: string;
  status: number;
  csp: string;
  html: string;
  /** Text of `<main id="main">`, empty when there is none. */
  main: string;
}

export async function crawl(page: Page, origin: string, limit = 60): Promise<CrawledPage[]> {
  const seen = new Set<string>(['/']);
  const queue = ['/'];
  const out: CrawledPage[] = [];
  while (queue.length > 0 && out.length < limit) {
    const path = queue.shift()!;
    const res = await page.goto(`${origin}${path}`);
    const html = await page.content();
    const main = (await page.locator('main#main').count()) ? await page.locator('main#main').innerText() : '';
    out.push({
      path,
      status: res?.status() ?? 0,
      csp: (await res?.allHeaders())?.['content-security-policy'] ?? '',
      html: (await res?.text()) ?? html,
      main,
    });
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) {
      const u = new URL(href);
      if (u.origin !== origin) continue;
      if (u.pathname.startsWith('/assets/') || u.pathname === '/events') continue;
      if (!seen.has(u.pathname)) {
        seen.add(u.pathname);
        queue.push(u.pathname);
      }
    }
  }
  return out;
}
