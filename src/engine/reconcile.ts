/**
 * The whole loop (DESIGN.md §3): load + validate → resolve → observe → plan → apply → verify →
 * report → commit + tag (+ push). A run that finds nothing to do writes nothing, makes no commit
 * and no tag. `apply` is the same loop without the git record; `rollback` is this loop on the
 * desired state read at a tag.
 */

import { formatDiagnostic } from '../core/diagnostics.js';
import { McpGitopsError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import type { DesiredState } from '../core/state.js';
import type { GitRepo } from '../git/types.js';
import { checkSavedPlan } from './check-saved-plan.js';
import { commitAndTag } from './commit-and-tag.js';
import { committedReports } from './committed-reports.js';
import { createEngineDeps } from './default-deps.js';
import { createEffects } from './effects.js';
import { findRetiredTargets } from './find-retired-targets.js';
import { type HeadSuspension, liftSuspension, markHeadSuspension } from './head-suspension.js';
import { headTargets } from './head-targets.js';
import { loadDesired } from './load-desired.js';
import { openReadmeMemo } from './readme-memo.js';
import { type RecheckMode, recheckScope } from './recheck-scope.js';
import { runLoop } from './run-loop.js';
import { recordedSurfaces } from './surface-drift.js';
import type { EngineDeps, RunResult } from './types.js';
import { writeReports } from './write-reports.js';

export interface ReconcileOptions {
  repoDir: string;
  environment?: string;
  target?: string;
  /** Desired state at this revision (rollback: the tag). Default: the config revision of HEAD. */
  rev?: string;
  dryRun?: boolean;
  /** Write reports (and, unless `commit` is false, commit and tag). `apply` does not record. */
  record?: boolean;
  commit?: boolean;
  push?: boolean;
  /** A saved plan to apply; refused when stale. */
  savedPlan?: Plan;
  /** Extra line for commit and tag messages. */
  note?: string;
  /**
   * Which servers the run did not change are verified again: `stale` (default when recording)
   * those whose committed report does not say they are healthy at their current spec — so an
   * `apply` followed by `reconcile` leaves no "not verified yet" — or `all` (the steady loop).
   */
  recheck?: RecheckMode;
  /**
   * Environments not to apply in this run, with why: the steady loop backing off a revision that
   * failed. They are observed and verified; their reports stay as the failed attempt wrote them.
   */
  hold?: ReadonlyMap<string, string>;
  /**
   * Rollback (with `rev`): the environment's `sync.suspend` as the branch head has it. The run
   * applies the tag's desired state whatever either tree says about suspension, and its reports
   * carry the head's (see head-suspension.ts).
   */
  headSuspension?: HeadSuspension;
  /**
   * This run is `rollback --to TAG` (`rev` is TAG): it commits as `rollback(<env>): to TAG, …`
   * even with nothing changed, always tags anew (unless something failed), and leaves alone the
   * targets its tag lacks but the branch head has (they are not retired; see head-targets.ts).
   */
  rollback?: { tag: string };
  deps?: Partial<EngineDeps>;
}

export async function reconcile(options: ReconcileOptions): Promise<RunResult> {
  const { repo, desired, revision, warnings, sources, toolLock } = await loadDesired(options);
  if (options.headSuspension) liftSuspension(desired);
  const keep = options.rollback ? await keptTargets(repo.dir, desired, options.environment) : undefined;
  desired.retired = await findRetiredTargets({
    repo,
    desired,
    environment: options.environment,
    target: options.target,
    ...(keep ? { keep } : {}),
  });
  // health.tools judges verified surfaces against the locks committed at the run's revision.
  const deps = createEngineDeps(repo.dir, {
    toolLock: (_environment, server) => toolLock(server),
    ...options.deps,
  });
  for (const w of warnings) deps.logger.warn({ file: w.file, line: w.line, rule: w.rule }, w.message);
  const record = options.record !== false && !options.dryRun;
  const commit = record && options.commit !== false;
  if (options.push) await requireRemote(repo);
  if (commit && !(await repo.currentBranch())) {
    throw new McpGitopsError(
      'ERR_GIT',
      `${repo.dir} has a detached HEAD: reports need a branch to be committed to`,
      {
        hint: `check out the tracked branch (${desired.repository.branch}) or pass --no-commit`,
      },
    );
  }

  const notes = warnings.map(formatDiagnostic);
  const branch = await repo.currentBranch();
  if (commit && options.rev === undefined && branch !== desired.repository.branch) {
    notes.push(
      `reconciling branch "${branch}", but the repository tracks "${desired.repository.branch}" (mcp-gitops.yaml spec.branch)`,
    );
  }

  const effects = createEffects(options.dryRun === true, deps.logger);
  const committed = committedReports(repo, desired.repository.reportsDir);
  const recheck = await recheckScope(options.recheck ?? (record ? 'stale' : 'none'), desired, committed);
  const loop = await runLoop({
    desired,
    deps,
    effects,
    root: repo.dir,
    sources,
    ...(recheck ? { recheck } : {}),
    // ToolsChanged of servers verified again: against their locks, else what their reports recorded.
    ...(recheck ? { surfaces: { recorded: await recordedSurfaces(committed) } } : {}),
    ...(options.hold ? { hold: options.hold } : {}),
    ...(options.savedPlan
      ? { checkPlan: (fresh: Plan) => checkSavedPlan(options.savedPlan as Plan, fresh, revision) }
      : {}),
  });
  loop.plan.revision = revision;
  if (options.headSuspension) markHeadSuspension(loop.plan, desired, options.headSuspension);

  const result: RunResult = {
    desired,
    plan: loop.plan,
    targets: loop.targets,
    environments: loop.environments,
    dryRun: effects.dryRun,
    reportsChanged: [],
    tags: [],
    warnings: notes,
    failed: isFailed(loop),
  };
  if (!record) return result;

  deps.progress?.('writing reports');
  const written = await writeReports({
    repo,
    desired,
    plan: loop.plan,
    targets: loop.targets,
    environments: loop.environments,
    revision,
    wholeEnvironments: options.target === undefined,
    allEnvironments: options.environment === undefined,
    ...(keep ? { keep } : {}),
    ...(options.rollback ? { rollback: true } : {}),
    committed,
    readmeMemo: openReadmeMemo(repo.dir),
  });
  result.reportsChanged = written.changed;
  result.reports = written.reports;
  if (!commit) return result;

  const recorded = await commitAndTag({
    repo,
    desired,
    plan: loop.plan,
    targets: loop.targets,
    environments: loop.environments,
    revision,
    changed: written.changed,
    note: options.note,
    ...(options.rollback && options.environment
      ? { rollback: { tag: options.rollback.tag, revision, environment: options.environment } }
      : {}),
  });
  result.commit = recorded.commit;
  result.tags = recorded.tags;
  if (options.push && (recorded.commit || recorded.tags.length > 0)) {
    deps.progress?.('pushing');
    const branch = (await repo.currentBranch()) as string;
    const remotes = await repo.listRemotes();
    const remote = remotes.find((r) => r.remote === 'origin') ?? remotes[0];
    await repo.push(remote?.remote ?? 'origin', [
      `refs/heads/${branch}`,
      ...recorded.tags.map((t) => `refs/tags/${t}`),
    ]);
  }
  return result;
}

/** A rollback's branch-head targets that its tag's desired state lacks (`env/target`). */
export async function keptTargets(
  root: string,
  desired: DesiredState,
  environment: string | undefined,
): Promise<Set<string>> {
  const wanted = new Set(desired.environments.flatMap((e) => e.targets.map((t) => `${e.name}/${t.name}`)));
  const head = await headTargets(root, environment);
  return new Set([...head].filter((k) => !wanted.has(k)));
}

function isFailed(loop: Awaited<ReturnType<typeof runLoop>>): boolean {
  if (loop.plan.targets.some((t) => t.stalled)) return true;
  if (loop.environments.some((e) => e.gate)) return true;
  return loop.targets.some((t) =>
    t.results.some((r) => r.outcome === 'failed' || r.outcome === 'rolled-back'),
  );
}

async function requireRemote(repo: GitRepo): Promise<void> {
  const remotes = await repo.listRemotes();
  if (remotes.length === 0) {
    throw new McpGitopsError('ERR_USAGE', `--push: ${repo.dir} has no git remote to push to`, {
      hint: 'add one with `git remote add origin https://…` (isomorphic-git pushes over http(s)), or run without --push',
    });
  }
}
