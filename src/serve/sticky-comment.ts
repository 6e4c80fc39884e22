/**
 * One plan comment per pull request through the GitHub REST API: find our earlier comment by its
 * hidden marker and PATCH it, else POST a new one. The API base URL is configurable (GitHub
 * Enterprise: https://HOST/api/v3). The token only ever goes into the Authorization header.
 */
import { McpGitopsError } from '../core/errors.js';
import { redactor } from '../log/redact.js';

export const PLAN_MARKER = '<!-- mcp-gitops-plan -->';

export interface GitHubApi {
  baseUrl: string;
  token: string;
}

export interface CommentTarget {
  /** OWNER/NAME */
  repo: string;
  number: number;
}

const MAX_PAGES = 20;

async function call(api: GitHubApi, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${api.baseUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${api.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'mcp-gitops',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) {
    const text = redactor.redact((await res.text()).slice(0, 300));
    throw new McpGitopsError('ERR_IO', `GitHub API ${method} ${path}: ${res.status} ${text}`, {
      hint: 'the token needs write access to pull requests (issues: write) on the repository',
    });
  }
  return res;
}

/** The id of our sticky comment on the pull request, if any. */
export async function findStickyComment(api: GitHubApi, target: CommentTarget): Promise<number | undefined> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await call(
      api,
      'GET',
      `/repos/${target.repo}/issues/${target.number}/comments?per_page=100&page=${page}`,
    );
    const comments = (await res.json()) as { id: number; body?: string }[];
    const ours = comments.find((c) => c.body?.includes(PLAN_MARKER));
    if (ours) return ours.id;
    if (comments.length < 100 || !/rel="next"/.test(res.headers.get('link') ?? '')) return undefined;
  }
  return undefined;
}

/** Create or update the sticky comment; returns its id and whether it was created. */
export async function upsertStickyComment(
  api: GitHubApi,
  target: CommentTarget,
  markdown: string,
): Promise<{ id: number; created: boolean }> {
  const body = `${PLAN_MARKER}\n${redactor.redact(markdown)}`;
  const existing = await findStickyComment(api, target);
  if (existing !== undefined) {
    await call(api, 'PATCH', `/repos/${target.repo}/issues/comments/${existing}`, { body });
    return { id: existing, created: false };
  }
  const res = await call(api, 'POST', `/repos/${target.repo}/issues/${target.number}/comments`, { body });
  return { id: ((await res.json()) as { id: number }).id, created: true };
}
