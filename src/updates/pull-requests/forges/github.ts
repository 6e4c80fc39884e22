/**
 * GitHub pull requests over the REST API (github.com, or GitHub Enterprise at
 * `https://HOST/api/v3`): list a branch's PRs (`GET /repos/{o}/{r}/pulls?head=o:branch&state=all`),
 * open one (`POST /pulls`), change title and body (`PATCH /pulls/{n}`), add labels through the
 * issues API. Replies are validated field by field; a PR that fails validation is ignored.
 */
import { McpGitopsError } from '../../../core/errors.js';
import { branchPullRequests, forgeApi, num, str } from './forge-http.js';
import type { Forge, ForgePullRequest, ForgeSettings, NewPullRequest } from './types.js';

export const GITHUB_API = 'https://api.github.com';
const REPO = /^([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})$/;

export function githubForge(settings: ForgeSettings): Forge {
  const m = REPO.exec(settings.repository);
  if (!m) {
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      'updates.pullRequests.github.repository must be owner/name',
    );
  }
  const [, owner, name] = m as unknown as [string, string, string];
  const base = settings.apiUrl.replace(/\/+$/, '');
  const { url, call } = forgeApi(
    'GitHub API',
    `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
    {
      authorization: `Bearer ${settings.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'mcp-gitops',
    },
    settings.timeoutMs,
  );

  return {
    id: 'github',
    async pullRequests(branch) {
      const reply = await call(
        'GET',
        url('/pulls', { head: `${owner}:${branch}`, state: 'all', per_page: '100' }),
      );
      return branchPullRequests(
        reply,
        branch,
        toPullRequest,
        'GitHub API: the pull request list is not a list',
      );
    },
    async open(pr: NewPullRequest) {
      const reply = await call('POST', url('/pulls'), {
        title: pr.title,
        head: pr.branch,
        base: pr.base,
        body: pr.body,
      });
      const made = toPullRequest(reply);
      if (!made)
        throw new McpGitopsError('ERR_IO', 'GitHub API: the new pull request reply is not a pull request');
      if (pr.labels.length === 0) return made;
      try {
        await call('POST', url(`/issues/${made.number}/labels`), { labels: pr.labels });
        return made;
      } catch (err) {
        // Opened all the same: a rerun finds it and must not open another one.
        return { ...made, warning: `labels not added: ${err instanceof Error ? err.message : 'failed'}` };
      }
    },
    async update(number, change) {
      const made = toPullRequest(await call('PATCH', url(`/pulls/${number}`), change));
      if (!made)
        throw new McpGitopsError(
          'ERR_IO',
          'GitHub API: the updated pull request reply is not a pull request',
        );
      return made;
    },
  };
}

function toPullRequest(value: unknown): ForgePullRequest | undefined {
  const number = num(value, 'number');
  const state = str(value, 'state');
  const head = (value as { head?: unknown } | null)?.head;
  const url = str(value, 'html_url', 2000);
  if (number === undefined || (state !== 'open' && state !== 'closed') || !/^https?:\/\//.test(url))
    return undefined;
  const merged = typeof (value as { merged_at?: unknown }).merged_at === 'string';
  return {
    number,
    url,
    state: state === 'open' ? 'open' : merged ? 'merged' : 'closed',
    title: str(value, 'title', 1000),
    body: str(value, 'body'),
    branch: str(head, 'ref', 300),
  };
}
