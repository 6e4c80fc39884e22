/**
 * `serve --updates-interval`: update automation on a schedule. Each run syncs a checkout of its
 * own (so a run that waits on slow registries or verifies new versions never holds the cache
 * checkout the reconciles use), finds the updates its policy allows (`findUpdates`), with
 * `--updates-open-prs` opens or refreshes their pull requests (`openUpdatePullRequests`), saves
 * the last report (the status page and a restarted serve read it), feeds the metrics and logs one
 * line of counts. Runs are never concurrent (the next waits for the running one), only on the
 * leader under leader election, and are aborted on stop; a hanging registry is bounded by the
 * sources' own timeouts.
 */
import * as path from 'node:path';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import { recordUpdates } from '../metrics/record-updates.js';
import type { UpdateMetrics } from '../metrics/update-metrics.js';
import { cacheDirFor } from '../remote/cache-path.js';
import { tokenAuth } from '../remote/remote-auth.js';
import { RemoteConfigRepo } from '../remote/remote-config-repo.js';
import { type SteadyTimer, startSteadyTimer } from '../steady/steady-timer.js';
import { type LastReport, readLastReport, saveLastReport, updatesCacheDir } from '../updates/last-report.js';
import type { PullRequestOutcome } from '../updates/types.js';
import { summarizeUpdates } from './updates-summary.js';

export interface UpdatesSettings {
  intervalMs: number;
  /** `--updates-open-prs`: also open or refresh the pull requests. */
  openPullRequests: boolean;
  /** On the registry of `/metrics`. */
  metrics?: UpdateMetrics;
}

export interface UpdatesJobOptions extends UpdatesSettings {
  /** The config repo serve follows. */
  remote: string;
  branch: string;
  token?: string;
  /** Where this job's checkout lives (its own folder under serve's state dir). */
  stateDir: string;
  /** Where the last report is saved (`updatesCacheDir`). */
  cacheDir: string;
  logger: Logger;
  /** `--leader-elect`: whether this replica may act now. Absent: always. */
  gate?: () => boolean;
  /** A run was saved (the status page pushes a live update). */
  onSaved?: (last: LastReport) => void;
}

export interface UpdatesJob {
  /** Run now, or when the running run ends (never two at once). */
  kick(): void;
  /** The last run this process made or read at start. */
  last(): LastReport | undefined;
  /** Runs this process finished and saved. */
  readonly runs: number;
  stop(): Promise<void>;
}

/** Under serve's state dir: the job's own checkouts, and where the last report of the remote is saved. */
export function updatesPaths(stateDir: string, remote: string): { stateDir: string; cacheDir: string } {
  const own = path.join(stateDir, 'updates-checkouts');
  return { stateDir: own, cacheDir: updatesCacheDir(stateDir, cacheDirFor(own, remote)) };
}

export function startUpdatesJob(options: UpdatesJobOptions): UpdatesJob {
  const { logger } = options;
  const repo = new RemoteConfigRepo({
    url: options.remote,
    branch: options.branch,
    stateDir: options.stateDir,
    ...(options.token ? { token: options.token } : {}),
    logger,
  });
  const abort = new AbortController();
  // Update branches go to the same remote as reports and tags, with the same token.
  const onAuth = tokenAuth(options.token);
  let last: LastReport | undefined;
  let runs = 0;

  // What a previous process saved is what the page and /metrics show until the first run here.
  const restored = readLastReport(options.cacheDir).then((read) => {
    if (read.warning) logger.warn({ warning: read.warning }, 'last updates report ignored');
    if (read.last && !last) {
      last = read.last;
      if (options.metrics) recordUpdates(options.metrics, read.last.report);
    }
  });

  const run = async () => {
    await restored;
    if (options.gate && !options.gate()) {
      logger.debug('updates: not the leader, skipped');
      return;
    }
    const started = Date.now();
    const [{ findUpdates }, prs] = await Promise.all([
      import('../updates/find-updates.js'),
      options.openPullRequests ? import('../updates/pull-requests/open-update-prs.js') : undefined,
    ]);
    const synced = await repo.sync();
    const report = await findUpdates({ dir: repo.dir, revision: synced.head, signal: abort.signal });
    let outcomes: PullRequestOutcome[] | undefined;
    if (prs && !abort.signal.aborted) {
      if (options.gate && !options.gate())
        logger.warn('updates: no longer surely the leader, no pull requests');
      else
        outcomes = await prs.openUpdatePullRequests({
          dir: repo.dir,
          report,
          signal: abort.signal,
          ...(onAuth ? { onAuth } : {}),
        });
    }
    await saveLastReport(options.cacheDir, report, outcomes);
    last = { savedAt: new Date().toISOString(), report, ...(outcomes ? { outcomes } : {}) };
    runs++;
    if (options.metrics) recordUpdates(options.metrics, report, outcomes);
    logger.info({ ...summarizeUpdates(report, outcomes), tookMs: Date.now() - started }, 'updates checked');
    options.onSaved?.(last);
  };

  const timer: SteadyTimer = startSteadyTimer({
    intervalMs: options.intervalMs,
    tick: run,
    onError: (err) => {
      if (abort.signal.aborted) return;
      logger.error({ err: message(err) }, 'updates run failed');
    },
  });
  // A restart does not ask every registry again when the saved run is younger than the interval.
  let first: NodeJS.Timeout | undefined;
  void restored.then(() => {
    const age = last ? Date.now() - Date.parse(last.savedAt) : Number.POSITIVE_INFINITY;
    const wait = age >= 0 && age < options.intervalMs ? options.intervalMs - age : 0;
    if (abort.signal.aborted) return;
    first = setTimeout(() => {
      if (runs === 0) timer.kick();
    }, wait);
    first.unref();
  });
  return {
    kick: () => timer.kick(),
    last: () => last,
    get runs() {
      return runs;
    },
    async stop() {
      abort.abort();
      clearTimeout(first);
      await timer.stop();
    },
  };
}

function message(err: unknown): string {
  return redactor
    .redact(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err))
    .slice(0, 500);
}
