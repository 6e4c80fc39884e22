/**
 * The parts of GitHub's webhook payloads `serve` reads (push, pull_request), checked at runtime,
 * and the pure decisions on them: is it our repository and branch, is it our own report commit.
 */
import { isReportCommit } from '../report/commit-message.js';

export interface RepositoryRef {
  full_name?: string;
  clone_url?: string;
  html_url?: string;
  ssh_url?: string;
  git_url?: string;
}

export interface PushPayload {
  ref: string;
  after: string;
  deleted?: boolean;
  repository: RepositoryRef;
  head_commit?: { id: string; message: string } | null;
  commits?: { message: string; added?: string[]; removed?: string[]; modified?: string[] }[];
}

export interface PullRequestPayload {
  action: string;
  number: number;
  repository: RepositoryRef;
  pull_request: {
    head: { sha: string; ref: string; repo?: RepositoryRef | null };
    base: { ref: string; sha?: string; repo?: RepositoryRef | null };
    user?: { login?: string } | null;
    /** OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, FIRST_TIMER, NONE, ... */
    author_association?: string;
  };
}

export interface TrackedRepo {
  /** The remote URL serve clones. */
  url: string;
  branch: string;
  /** OWNER/NAME as GitHub names it, when the remote URL is not GitHub's (a mirror, tests). */
  fullName?: string;
}

export type Decision = { act: true } | { act: false; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function asPush(body: unknown): PushPayload | undefined {
  if (!isObject(body) || typeof body.ref !== 'string' || typeof body.after !== 'string') return undefined;
  if (!isObject(body.repository)) return undefined;
  return body as unknown as PushPayload;
}

export function asPullRequest(body: unknown): PullRequestPayload | undefined {
  if (!isObject(body) || typeof body.action !== 'string') return undefined;
  // The number and the head commit end up in a git refspec and a comment: exact shapes only.
  if (!Number.isSafeInteger(body.number) || (body.number as number) < 1) return undefined;
  const pr = body.pull_request;
  if (!isObject(pr) || !isObject(pr.head) || typeof pr.head.sha !== 'string') return undefined;
  if (!/^[0-9a-f]{40}$/.test(pr.head.sha)) return undefined;
  if (!isObject(pr.base) || typeof pr.base.ref !== 'string') return undefined;
  if (!isObject(body.repository)) return undefined;
  return body as unknown as PullRequestPayload;
}

/** `host/path` without `.git`, lower-cased: how two spellings of one repository URL compare. */
export function normalizeRepoUrl(url: string): string | undefined {
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(url);
  if (scp)
    return `${scp[1]}/${scp[2]}`
      .replace(/\.git$/, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`
      .replace(/\.git$/, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  } catch {
    return undefined;
  }
}

export function isTrackedRepository(repo: RepositoryRef, tracked: TrackedRepo): boolean {
  if (tracked.fullName) return repo.full_name?.toLowerCase() === tracked.fullName.toLowerCase();
  const want = normalizeRepoUrl(tracked.url);
  return [repo.clone_url, repo.html_url, repo.ssh_url, repo.git_url].some(
    (u) => u !== undefined && normalizeRepoUrl(u) === want,
  );
}

/** Should this push reconcile? Only the tracked branch of the tracked repository, and never our own commits. */
export function decidePush(push: PushPayload, tracked: TrackedRepo, reportsDir = 'reports'): Decision {
  if (!isTrackedRepository(push.repository, tracked))
    return { act: false, reason: `repository ${push.repository.full_name ?? '?'} is not tracked` };
  if (push.ref !== `refs/heads/${tracked.branch}`)
    return { act: false, reason: `${push.ref} is not the tracked branch ${tracked.branch}` };
  if (push.deleted) return { act: false, reason: 'the branch was deleted' };
  const commits = push.commits ?? [];
  const messages = commits.length > 0 ? commits.map((c) => c.message) : [push.head_commit?.message ?? ''];
  if (messages.every(isReportCommit)) return { act: false, reason: "mcp-gitops' own report commit" };
  const prefix = `${reportsDir.replace(/\/+$/, '')}/`;
  const files = commits.flatMap((c) => [...(c.added ?? []), ...(c.removed ?? []), ...(c.modified ?? [])]);
  if (files.length > 0 && files.every((f) => f.startsWith(prefix)))
    return { act: false, reason: 'only report files changed' };
  return { act: true };
}

const PR_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

export function decidePullRequest(pr: PullRequestPayload, tracked: TrackedRepo): Decision {
  if (!isTrackedRepository(pr.repository, tracked))
    return { act: false, reason: `repository ${pr.repository.full_name ?? '?'} is not tracked` };
  if (!PR_ACTIONS.has(pr.action))
    return { act: false, reason: `pull_request action ${pr.action} is not planned` };
  if (pr.pull_request.base.ref !== tracked.branch)
    return {
      act: false,
      reason: `the pull request targets ${pr.pull_request.base.ref}, not ${tracked.branch}`,
    };
  return { act: true };
}
