/**
 * `watch`: a config repo's working tree and its git refs under chokidar, debounced, plus the
 * steady loop. The engine reads desired state at the last committed config revision, never the
 * working tree, so:
 *   - a saved edit validates the working tree and prints the diagnostics (nothing is applied);
 *   - a commit (HEAD moving to a new config revision) reconciles, exactly like `reconcile`;
 *   - every interval, a steady pass observes every target, verifies every server and acts by each
 *     environment's `sync.drift` (correct repairs; warn and detect report), recording what changed.
 * Work runs one batch at a time; a burst of events costs the running batch plus one more.
 */
import { watch } from 'chokidar';
import { formatDiagnostics, hasErrors } from '../core/diagnostics.js';
import { isMcpGitopsError } from '../core/errors.js';
import { formatRun } from '../engine/format-run.js';
import { reconcile } from '../engine/reconcile.js';
import type { EngineDeps } from '../engine/types.js';
import { configRevision } from '../git/config-revision.js';
import { openRepo } from '../git/open-repo.js';
import { redactor } from '../log/redact.js';
import { startSteadyTimer } from '../steady/steady-timer.js';
import { runValidation } from '../validate/run-validation.js';
import { describeDrift } from './check-drift.js';
import { coalescingRunner } from './coalescing-runner.js';
import { watchPaths } from './watch-paths.js';

export interface WatchOptions {
  repoDir: string;
  environment?: string;
  intervalMs: number;
  debounceMs: number;
  /** One line (or block) of output for people. */
  print(text: string): void;
  deps?: Partial<EngineDeps>;
}

export interface RepoWatcher {
  root: string;
  /** Stop watching; resolves once the running batch (e.g. an apply) has finished. */
  stop(): Promise<void>;
}

type Work = 'validate' | 'revision' | 'steady';

export async function watchRepo(options: WatchOptions): Promise<RepoWatcher> {
  const root = (await openRepo(options.repoDir)).dir;
  const { environment, deps, print } = options;
  let reportsDir = 'reports';
  let lastRevision: string | undefined;
  let lastDrift: string | undefined;
  const short = (oid: string) => oid.slice(0, 12);

  const validateWorktree = async () => {
    const { config, diagnostics } = await runValidation({ root, source: 'worktree' });
    reportsDir = config.repository?.value.spec.reports?.dir ?? reportsDir;
    const text = formatDiagnostics(diagnostics, 'text');
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    print(
      hasErrors(diagnostics)
        ? `${text}validate: ✗ ${errors} error${errors === 1 ? '' : 's'} in the working tree (only committed config is reconciled)`
        : `${text}validate: ✓ ${config.documents.length} documents valid in the working tree`,
    );
  };

  const runReconcile = async (env: string | undefined) => {
    const run = await reconcile({ repoDir: root, environment: env, deps });
    reportsDir = run.desired.repository.reportsDir;
    print(formatRun(run).trimEnd());
  };

  /** Reconcile when HEAD's config revision moved (the reconciler's own report commits do not count). */
  const reconcileIfMoved = async (): Promise<boolean> => {
    const revision = await configRevision(await openRepo(root));
    if (revision === undefined) {
      print('no commits yet: the committed config is what gets reconciled');
      return false;
    }
    if (revision === lastRevision) return false;
    print(
      `config revision ${short(revision)}${lastRevision ? ` (was ${short(lastRevision)})` : ''}: reconciling`,
    );
    lastRevision = revision;
    await runReconcile(environment);
    return true;
  };

  /** A pass of the steady loop: everything observed and verified; printed when something happened. */
  const steadyPass = async () => {
    const run = await reconcile({ repoDir: root, environment, recheck: 'all', deps });
    reportsDir = run.desired.repository.reportsDir;
    const { corrected, lines } = describeDrift(run.plan, run.desired);
    const report = lines.join('\n');
    if (report !== lastDrift) {
      print(report === '' ? 'drift check: no drift' : `drift check:\n${report}`);
      lastDrift = report;
    }
    for (const env of corrected)
      print(`${env}: targets differed from the repo (sync.drift is correct): repaired`);
    if (run.commit || run.failed || corrected.length > 0) print(formatRun(run).trimEnd());
  };

  const runner = coalescingRunner<Work>(
    async (batch) => {
      if (batch.has('validate')) await validateWorktree();
      const reconciled = batch.has('revision') ? await reconcileIfMoved() : false;
      if (batch.has('steady') && !reconciled) await steadyPass();
    },
    (err) => print(describeError(err)),
  );

  const paths = watchPaths(root, () => reportsDir);
  const watcher = watch(root, { ignored: (p: string) => paths.ignored(p), ignoreInitial: true });
  let seen = new Set<Work>();
  let debounce: NodeJS.Timeout | undefined;
  watcher.on('all', (_event, p) => {
    seen.add(paths.kind(p) === 'git' ? 'revision' : 'validate');
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      const kinds = [...seen];
      seen = new Set();
      runner.request(...kinds);
    }, options.debounceMs);
  });
  watcher.on('error', (err) => print(`watch: ${err instanceof Error ? err.message : String(err)}`));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  const steady = startSteadyTimer({
    intervalMs: options.intervalMs,
    tick: () => {
      runner.request('revision', 'steady');
      return runner.idle();
    },
  });
  print(
    `watching ${root} (${environment ? `environment ${environment}` : 'all environments'}; every target observed and every server verified every ${formatMs(options.intervalMs)}; Ctrl-C stops)`,
  );
  runner.request('validate', 'revision');

  return {
    root,
    async stop() {
      await steady.stop();
      clearTimeout(debounce);
      await watcher.close();
      await runner.idle();
    },
  };
}

function describeError(err: unknown): string {
  if (isMcpGitopsError(err)) {
    const lines = [...(err.details ?? []), `error: ${err.message} [${err.code}]`];
    if (err.hint) lines.push(`hint: ${err.hint}`);
    return redactor.redact(lines.join('\n'));
  }
  return redactor.redact(`error: ${err instanceof Error ? err.message : String(err)}`);
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
