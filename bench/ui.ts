/**
 * The status UI's cost at 1,000 servers per environment (issue 18, `npm run bench`): committed
 * reports written the way the product writes them (bench/generate-ui-reports.ts: 3 environments ×
 * 4 targets, 1,000 servers each) in a git checkout, served by the UI's own routes (`createUiServer`
 * on serve's HTTP app, as `serve` and `ui --repo` do).
 * 1. Server-side render of `/` (3,000 servers summarised) and `/env/prod` (1,000 rows): a cold
 *    render (a fresh site: every report read and parsed), the warm median of 7 in process (the
 *    report cache holds) and the same over HTTP, next to a floor measured in the same run: reading
 *    and JSON-parsing the same report files (the least any render from files must do).
 * 2. Time to first render in headless Debian chromium: navigation start → first contentful paint,
 *    median of 5 fresh pages per URL (assets cached after the first, as `immutable` allows), next
 *    to its floor: the same /env/prod HTML answered as a fixed string (the browser's own part).
 * 3. The asset bundle (the one script and the one stylesheet), raw and gzip, and each page's size.
 * Run alone: `node --import tsx bench/ui.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createLogger } from '../src/log/logger.js';
import { createServeApp } from '../src/serve/create-serve-app.js';
import { createUiServer } from '../src/serve/ui-routes.js';
import { assets } from '../src/ui/assets/assets.js';
import { liveLinks } from '../src/ui/links.js';
import { UiSite } from '../src/ui/site.js';
import { writeUiReports } from './generate-ui-reports.js';
import { git } from './git.js';

const SERVERS_PER_ENV = Number(process.env.BENCH_UI_SERVERS ?? 1000);
const RUNS = 7;
const BROWSER_RUNS = 5;
const STATIC = '/bench/static-env-prod';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const now = () => performance.now();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bench-ui-'));
const reportsRoot = path.join(dir, 'reports');
git(dir, 'init', '-q', '-b', 'main');
const { files, servers } = writeUiReports(reportsRoot, { serversPerEnv: SERVERS_PER_ENV });
git(dir, 'add', '-A');
git(dir, 'commit', '-q', '-m', 'reconcile(prod): bench reports');
git(dir, 'tag', '-a', 'prod-1', '-m', 'bench');
const source = {
  checkout: () => dir,
  reportsDir: () => 'reports',
  remote: 'https://github.com/example/config.git',
};

try {
  console.log(
    `${servers} servers in ${files.length} reports (${kb(files.reduce((n, f) => n + fs.statSync(f).size, 0))})`,
  );

  // The floor: what any render from files pays (read + JSON.parse every report).
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = now();
    for (const f of files) JSON.parse(fs.readFileSync(f, 'utf8'));
    floor.push(now() - t);
  }

  const pages = ['/', '/env/prod'];
  const cold: Record<string, number> = {};
  const inProcess: Record<string, number[]> = {};
  for (const p of pages) {
    const site = new UiSite(source);
    const t = now();
    const page = await site.render(p, liveLinks);
    cold[p] = now() - t;
    if (page.status !== 200) throw new Error(`${p} answered ${page.status}`);
    inProcess[p] = [];
    for (let i = 0; i < RUNS; i++) {
      const w = now();
      await site.render(p, liveLinks);
      inProcess[p]!.push(now() - w);
    }
  }

  const ui = createUiServer(source);
  const app = createServeApp({ routes: ui.routes, logger: createLogger({ level: 'silent' }) });
  // The browser's floor: the same HTML of /env/prod, rendered once, answered as a fixed string.
  const prerendered = (await new UiSite(source).render('/env/prod', liveLinks)).html;
  app.addRoute({
    method: 'GET',
    path: STATIC,
    handle: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(prerendered);
    },
  });
  const { url } = await app.listen('127.0.0.1', 0);
  const warm: Record<string, number[]> = {};
  const size: Record<string, { raw: number; gzip: number }> = {};
  try {
    for (const p of pages) {
      warm[p] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        const t = now();
        const res = await fetch(`${url}${p}`);
        const html = await res.text();
        if (i > 0) warm[p]!.push(now() - t); // the first fills the report cache
        size[p] = { raw: Buffer.byteLength(html), gzip: gzipSync(html).length };
      }
    }

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    const fcp: Record<string, number[]> = {};
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      for (const p of [...pages, STATIC]) {
        fcp[p] = [];
        for (let i = 0; i < BROWSER_RUNS + 1; i++) {
          const page = await context.newPage();
          await page.goto(`${url}${p}`, { waitUntil: 'load' });
          const paint = await page.evaluate(
            () =>
              new Promise<number>((resolve) => {
                const seen = performance.getEntriesByName('first-contentful-paint')[0];
                if (seen) return resolve(seen.startTime);
                new PerformanceObserver((list) => {
                  const e = list.getEntriesByName('first-contentful-paint')[0];
                  if (e) resolve(e.startTime);
                }).observe({ type: 'paint', buffered: true });
              }),
          );
          if (i > 0) fcp[p]!.push(paint); // the first also fetches the assets
          await page.close();
        }
      }
      await context.close();
    } finally {
      await browser.close();
    }

    console.log(`floor (read + JSON.parse ${files.length} reports): median ${ms(median(floor))}`);
    console.log(
      `floor (chromium first contentful paint of /env/prod's HTML answered as a fixed string): median ${ms(median(fcp[STATIC]!))}`,
    );
    for (const p of pages) {
      console.log(
        `${p.padEnd(10)} server render cold ${ms(cold[p]!)}, warm median ${ms(median(inProcess[p]!))} ` +
          `(over HTTP ${ms(median(warm[p]!))}); ` +
          `chromium navigation → first contentful paint median ${ms(median(fcp[p]!))}; ` +
          `HTML ${kb(size[p]!.raw)} (gzip ${kb(size[p]!.gzip)})`,
      );
    }
  } finally {
    ui.close();
    await app.close();
  }

  const bundle = assets();
  const raw = bundle.reduce((n, a) => n + Buffer.byteLength(a.body), 0);
  const gz = bundle.reduce((n, a) => n + gzipSync(a.body).length, 0);
  console.log(
    `assets: ${bundle.map((a) => `${a.name} ${Buffer.byteLength(a.body)} B (gzip ${gzipSync(a.body).length} B)`).join(', ')}; ` +
      `total ${raw} B, gzip ${gz} B`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
