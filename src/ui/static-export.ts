/**
 * `status --format html --out DIR`: the status UI written as files, the same pages as `serve`
 * and `ui` with relative links (`env/dev/index.html`) and without the live script, so the folder
 * can be opened from disk, attached to a CI run or published by any static web server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openRepo } from '../git/open-repo.js';
import { defaultStateDir } from '../remote/cache-path.js';
import { readLastReport, updatesCacheDir } from '../updates/last-report.js';
import { assets } from './assets/assets.js';
import { staticFile, staticLinks } from './links.js';
import { reportsDirOf } from './run-ui.js';
import { UiSite } from './site.js';

export interface ExportResult {
  /** Files written, relative to the output folder, in order. */
  files: string[];
}

/** How many run pages an export holds (newest first); the history page lists them all. */
export const EXPORTED_RUNS = 200;

/** `stateDir`: where the last updates run of this checkout is saved (its Updates section). */
export async function exportSite(
  repoDir: string,
  outDir: string,
  stateDir: string = defaultStateDir(),
): Promise<ExportResult> {
  const repo = await openRepo(repoDir);
  const remotes = await repo.listRemotes().catch(() => []);
  const remote = (remotes.find((r) => r.remote === 'origin') ?? remotes[0])?.url ?? '';
  const reportsDir = await reportsDirOf(repo.dir);
  const site = new UiSite({
    checkout: () => repo.dir,
    reportsDir: () => reportsDir,
    remote,
    updates: () => readLastReport(updatesCacheDir(stateDir, repo.dir)),
  });
  const files: string[] = [];
  const write = (rel: string, body: string) => {
    const full = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, body);
    files.push(rel);
  };
  let runs = 0;
  for (const sitePath of await site.paths()) {
    if (sitePath.startsWith('/history/') && ++runs > EXPORTED_RUNS) continue;
    const page = await site.render(sitePath, staticLinks(sitePath));
    write(staticFile(sitePath), page.html);
  }
  // Static pages carry no script (no live updates without a server): only the stylesheet.
  for (const a of assets()) if (a.name.endsWith('.css')) write(`assets/${a.name}`, a.body);
  return { files };
}
