/**
 * `mcp-gitops ui`: the status UI over a local checkout, read-only. The same pages as serve's,
 * from the reports in the work tree; chokidar watches the reports, the tool locks, git's refs and
 * the checkout's saved last updates run (src/updates/last-report.ts, in the state dir), and each
 * change (debounced) re-reads them and pushes live updates to open pages: a newly saved updates
 * run as serve pushes one after its schedule ran. Listens on loopback unless told otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watch } from 'chokidar';
import { loadConfig } from '../config/load-config.js';
import { McpGitopsError } from '../core/errors.js';
import { openRepo } from '../git/open-repo.js';
import type { Logger } from '../log/logger.js';
import { defaultStateDir } from '../remote/cache-path.js';
import { resolveRepository } from '../resolve/resolve-defaults.js';
import { createServeApp } from '../serve/create-serve-app.js';
import { createUiServer } from '../serve/ui-routes.js';
import { LOCK_DIR } from '../surface/lock/index.js';
import { LAST_REPORT_FILE, readLastReport, updatesCacheDir } from '../updates/last-report.js';
import { publicRemote } from './model/live.js';

export interface UiOptions {
  repoDir: string;
  host: string;
  port: number;
  logger: Logger;
  /** Wait after a file change before re-reading (default 200 ms). */
  debounceMs?: number;
  /** Where the last updates run of this checkout is saved (default `defaultStateDir()`: src/updates/last-report.ts). */
  stateDir?: string;
}

export interface RunningUi {
  url: string;
  stop(): Promise<void>;
}

export async function startUi(options: UiOptions): Promise<RunningUi> {
  const repo = await openRepo(options.repoDir);
  const dir = repo.dir;
  const reportsDir = await reportsDirOf(dir);
  const remotes = await repo.listRemotes().catch(() => []);
  const remote = (remotes.find((r) => r.remote === 'origin') ?? remotes[0])?.url ?? '';
  const branch = (await repo.currentBranch().catch(() => undefined)) ?? '(detached)';
  const updatesDir = updatesCacheDir(options.stateDir ?? defaultStateDir(), dir);
  const lastReport = path.join(updatesDir, LAST_REPORT_FILE);
  // chokidar sees nothing under a folder that does not exist yet: make it (as saving would, 0700).
  const watchUpdates = await fs.promises
    .mkdir(updatesDir, { recursive: true, mode: 0o700 })
    .then(() => true)
    .catch((err: NodeJS.ErrnoException) => {
      options.logger.warn(
        { dir: updatesDir, code: err.code },
        'cannot watch the saved updates run; it shows on the next page load',
      );
      return false;
    });
  const ui = createUiServer({
    checkout: () => dir,
    reportsDir: () => reportsDir,
    remote,
    live: {
      facts: () => ({
        remote: remote ? publicRemote(remote) : dir,
        branch,
        role: 'ui (read-only view of a checkout)',
        synced: true,
      }),
    },
    updates: () => readLastReport(updatesDir),
  });
  const app = createServeApp({ logger: options.logger, routes: ui.routes });
  const bound = await app.listen(options.host, options.port);

  const watched = [
    path.join(dir, reportsDir),
    path.join(dir, LOCK_DIR),
    ...gitRefs(dir),
    ...(watchUpdates ? [updatesDir] : []),
  ];
  const watcher = watch(watched, { ignoreInitial: true, depth: 4 });
  let timer: NodeJS.Timeout | undefined;
  // git moved or an updates run was saved: the overview (reconcile pages) shows both.
  let moved = false;
  watcher.on('all', (_event, file) => {
    if (file.startsWith(path.join(dir, '.git')) || file === lastReport) moved = true;
    else if (path.dirname(file) === updatesDir) return; // the save's temp file
    clearTimeout(timer);
    timer = setTimeout(() => {
      const also = moved ? [{ kind: 'reconcile' as const, env: '*' }] : [];
      moved = false;
      const sent = ui.live.check(also);
      if (sent.length) options.logger.debug({ updates: sent }, 'reports changed');
    }, options.debounceMs ?? 200);
  });
  watcher.on('error', (err) => options.logger.warn({ err: String(err) }, 'watching the checkout'));
  options.logger.info({ url: bound.url, repo: dir, reportsDir }, 'ui serving');
  return {
    url: bound.url,
    async stop() {
      clearTimeout(timer);
      await watcher.close();
      ui.close();
      const closed = app.close();
      app.server.closeAllConnections();
      await closed;
    },
  };
}

/** The reports folder the config at HEAD names (`reports` by default, or before any commit). */
export async function reportsDirOf(dir: string): Promise<string> {
  try {
    const repo = await openRepo(dir);
    const head = await repo.head();
    if (!head) return 'reports';
    const { config } = await loadConfig({ root: dir, source: 'revision', rev: head });
    return resolveRepository(config.repository?.value).reportsDir.replace(/\/+$/, '');
  } catch {
    return 'reports';
  }
}

/** git's HEAD and refs, when the checkout has a .git folder (a worktree's .git file has none). */
function gitRefs(dir: string): string[] {
  const git = path.join(dir, '.git');
  try {
    if (!fs.statSync(git).isDirectory()) return [];
  } catch {
    return [];
  }
  return [path.join(git, 'HEAD'), path.join(git, 'refs'), path.join(git, 'packed-refs')];
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Loopback only unless the user said otherwise (`--expose`). */
export function checkHost(host: string, expose: boolean): void {
  if (LOOPBACK.test(host) || expose) return;
  throw new McpGitopsError('ERR_USAGE', `--listen ${host} is not a loopback address`, {
    hint: 'the UI shows your reports to anyone who can reach it: add --expose to listen there anyway',
  });
}
