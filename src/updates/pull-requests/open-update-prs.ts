/**
 * `updates --open-prs`: one branch, one commit and one pull request per update or group. For each
 * change: its branch and title from the templates, its schedule, the forge's pull requests of that
 * branch (a closed one for these versions is never reopened or recreated; an open one that already
 * proposes them on the current base is left alone), then the commit on the base (pins bumped,
 * locks from a scratch verification), the push of that one branch, and the PR opened or updated.
 * One change failing does not stop the others; every text that leaves goes through the redactor.
 */
import type { AuthCallback } from 'isomorphic-git';
import { loadConfig } from '../../config/load-config.js';
import { resolveRevision } from '../../config/resolve-revision.js';
import { McpGitopsError } from '../../core/errors.js';
import { redactor } from '../../log/redact.js';
import { resolveRepository } from '../../resolve/index.js';
import { createSecretResolver } from '../../secrets/resolve-secret.js';
import { changeVersions, groupChanges } from '../group-changes.js';
import { cronMatches } from '../policy/cron.js';
import type { PullRequestOutcome, UpdateChange, UpdatesReport } from '../types.js';
import { changeNames } from './branch-names.js';
import { buildChange } from './build-change.js';
import { type Forge, forgeChoice, makeForge } from './forges/index.js';
import { markerNameOk, parseMarker, sameVersions } from './marker.js';
import { renderPullRequestBody } from './render-body.js';
import { commitOnBase, pushUpdateBranch, remoteBranchHead, updateRemote } from './update-branch.js';

export interface OpenUpdatePullRequestsOptions {
  /** The config repo's work tree. */
  dir: string;
  report: Pick<UpdatesReport, 'servers'>;
  now?: Date;
  /** Say what would be done: no forge request, no push, no verification. */
  dryRun?: boolean;
  /** Start each new version in a scratch place for its tool diff and lock (default true). */
  verify?: boolean;
  verifyPerServerMs?: number;
  /** For `env:` token references and the npm registry; default process.env. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  signal?: AbortSignal;
  /** Credentials for the config repo's remote (`tokenAuth` of the git token), for listing and pushing update branches. */
  onAuth?: AuthCallback;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
}

function safeDetail(err: unknown): string {
  const text = err instanceof McpGitopsError || err instanceof Error ? err.message : String(err);
  // A remote URL may carry credentials (https://user:token@host/…): never in a printed line.
  const line = (text.split('\n')[0] ?? 'failed').replace(/\/\/[^/@\s]+@/g, '//').slice(0, 500);
  return redactor.redact(line);
}

function outsideSchedule(change: UpdateChange, now: Date): string | undefined {
  for (const u of change.updates) {
    const schedule = u.policy.schedule;
    if (schedule !== undefined && !cronMatches(schedule, now))
      return `schedule "${schedule}" does not match now (UTC)`;
  }
  return undefined;
}

export async function openUpdatePullRequests(
  options: OpenUpdatePullRequestsOptions,
): Promise<PullRequestOutcome[]> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  // Settings from the committed config (as findUpdates reads it), never from unsaved edits.
  const repoSpec = (await loadConfig({ root: options.dir, rev: 'HEAD' })).config.repository?.value;
  const settings = repoSpec?.spec.updates?.pullRequests;
  const baseBranch = settings?.base ?? resolveRepository(repoSpec).branch;
  // A CI checkout may have only the remote's branch (detached HEAD, no local base branch).
  const baseCommit = await resolveRevision(options.dir, baseBranch).catch(() =>
    resolveRevision(options.dir, `refs/remotes/origin/${baseBranch}`),
  );
  const { config: base } = await loadConfig({ root: options.dir, rev: baseCommit });
  const author = resolveRepository(base.repository?.value).author;
  const changes = groupChanges(options.report);
  const outcomes: PullRequestOutcome[] = [];
  const branches = new Set<string>();

  let forge: Forge | undefined;
  let forgeError: string | undefined;
  const getForge = async (): Promise<Forge> => {
    if (forge) return forge;
    if (forgeError) throw new Error(forgeError);
    try {
      const choice = forgeChoice(settings);
      const token = await createSecretResolver({
        repoRoot: options.dir,
        env,
        ...(options.homeDir ? { home: options.homeDir } : {}),
      }).resolve(choice.tokenRef);
      forge = makeForge(choice.id, { repository: choice.repository, apiUrl: choice.apiUrl, token });
      return forge;
    } catch (err) {
      forgeError = safeDetail(err);
      throw err;
    }
  };
  const npmRegistry = base.repository?.value?.spec.updates?.registries?.npm?.url ?? env.npm_config_registry;

  for (const change of changes) {
    const versions = changeVersions(change);
    let branch = '';
    try {
      const names = changeNames(change, settings ?? {});
      branch = names.branch;
      if (branches.has(branch))
        throw new Error(`branch ${branch} is already used by another change of this run`);
      branches.add(branch);
      if (!markerNameOk(change.name))
        throw new Error('the change name has characters a pull request marker may not hold');
      const outside = outsideSchedule(change, now);
      if (outside) {
        outcomes.push({ name: change.name, branch, action: 'outside-schedule', versions, detail: outside });
        continue;
      }
      if (options.dryRun) {
        outcomes.push({
          name: change.name,
          branch,
          action: 'opened',
          versions,
          detail: `dry run: "${names.title}"`,
        });
        continue;
      }
      options.progress?.(`${change.name}: ${versions.join(', ')} on ${branch}`);
      const outcome = await openOne(change, names, versions, {
        forge: await getForge(),
        dir: options.dir,
        base,
        baseBranch,
        baseCommit,
        author,
        labels: settings?.labels ?? [],
        verify: options.verify !== false,
        ...(options.verifyPerServerMs === undefined ? {} : { perServerMs: options.verifyPerServerMs }),
        ...(npmRegistry ? { npmRegistry } : {}),
        ...(options.onAuth ? { onAuth: options.onAuth } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      outcomes.push(outcome);
    } catch (err) {
      outcomes.push({ name: change.name, branch, action: 'failed', versions, detail: safeDetail(err) });
    }
  }
  return outcomes;
}

interface OneContext {
  forge: Forge;
  dir: string;
  base: Awaited<ReturnType<typeof loadConfig>>['config'];
  baseBranch: string;
  baseCommit: string;
  author: { name: string; email: string };
  labels: string[];
  verify: boolean;
  perServerMs?: number;
  npmRegistry?: string;
  onAuth?: AuthCallback;
  signal?: AbortSignal;
}

async function openOne(
  change: UpdateChange,
  names: { branch: string; title: string },
  versions: string[],
  ctx: OneContext,
): Promise<PullRequestOutcome> {
  const { branch, title } = names;
  const done = (
    action: PullRequestOutcome['action'],
    pr?: { number: number; url: string },
    detail?: string,
  ): PullRequestOutcome => ({
    name: change.name,
    branch,
    action,
    versions,
    ...(pr ? { number: pr.number, url: pr.url } : {}),
    ...(detail === undefined ? {} : { detail }),
  });
  const prs = await ctx.forge.pullRequests(branch);
  const proposes = (body: string) => {
    const marker = parseMarker(body);
    return marker !== undefined && marker.name === change.name && sameVersions(marker.versions, versions);
  };
  const before = prs.find((pr) => pr.state !== 'open' && proposes(pr.body));
  if (before)
    return done(
      'closed-before',
      before,
      `#${before.number} for these versions was ${before.state}; it is not reopened`,
    );
  const open = prs.find((pr) => pr.state === 'open');
  const remote = await updateRemote(ctx.dir);
  const head = await remoteBranchHead(ctx.dir, remote, branch, ctx.onAuth);
  if (open && proposes(open.body) && head?.parent === ctx.baseCommit) return done('unchanged', open);

  const built = await buildChange(change, ctx.base, {
    verify: ctx.verify,
    ...(ctx.perServerMs === undefined ? {} : { perServerMs: ctx.perServerMs }),
    ...(ctx.npmRegistry ? { npmRegistry: ctx.npmRegistry } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const message = redactor.redact(built.message);
  const files = built.files;
  for (const [p, t] of files)
    if (redactor.redact(t) !== t) throw new Error(`a secret value would be committed in ${p}`);
  const commit = await commitOnBase(ctx.dir, ctx.baseCommit, files, message, ctx.author);
  const pushed = !(head && head.tree === commit.tree && head.parent === ctx.baseCommit);
  if (pushed) await pushUpdateBranch(ctx.dir, remote, branch, commit.commit, ctx.onAuth);
  const body = redactor.redact(
    renderPullRequestBody({
      change,
      versions,
      plan: built.plan,
      verifications: built.verification.results,
      addedLocks: [...built.verification.locks.keys()],
    }),
  );
  if (open) {
    if (!pushed && open.title === title && open.body === body) return done('unchanged', open);
    const updated = await ctx.forge.update(open.number, { title, body });
    return done('updated', updated);
  }
  const made = await ctx.forge.open({ branch, base: ctx.baseBranch, title, body, labels: ctx.labels });
  return done('opened', made, made.warning === undefined ? undefined : redactor.redact(made.warning));
}
