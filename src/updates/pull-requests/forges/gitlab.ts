/**
 * GitLab merge requests over the REST API v4 (`/api/v4/projects/:id/merge_requests`): list a
 * source branch's MRs (every state), open one with labels, change title and description. The
 * project is its path (`group/name`, URL-encoded as GitLab wants) or numeric id.
 *
 * GitLab's `source_branch` filter also lists merge requests from forks whose branch has the same
 * name; anyone can open one and copy our marker. Only an MR whose source project is its target
 * project is ours: a fork's MR must neither stop an update ("closed before") nor be edited.
 */
import { McpGitopsError } from '../../../core/errors.js';
import { branchPullRequests, forgeApi, num, str } from './forge-http.js';
import type { Forge, ForgePullRequest, ForgeSettings, NewPullRequest } from './types.js';

export const GITLAB_API = 'https://gitlab.com/api/v4';
const PROJECT = /^([0-9]{1,20}|[A-Za-z0-9_.-]{1,255}(\/[A-Za-z0-9_.-]{1,255}){1,20})$/;

export function gitlabForge(settings: ForgeSettings): Forge {
  if (!PROJECT.test(settings.repository)) {
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      'updates.pullRequests.gitlab.project must be a project path (group/name) or id',
    );
  }
  const base = settings.apiUrl.replace(/\/+$/, '');
  const { url, call } = forgeApi(
    'GitLab API',
    `${base}/projects/${encodeURIComponent(settings.repository)}`,
    { 'private-token': settings.token, 'user-agent': 'mcp-gitops' },
    settings.timeoutMs,
  );
  return {
    id: 'gitlab',
    async pullRequests(branch) {
      const reply = await call(
        'GET',
        url('/merge_requests', { source_branch: branch, state: 'all', per_page: '100' }),
      );
      return branchPullRequests(
        reply,
        branch,
        toMergeRequest,
        'GitLab API: the merge request list is not a list',
      );
    },
    async open(pr: NewPullRequest) {
      const made = toMergeRequest(
        await call('POST', url('/merge_requests'), {
          source_branch: pr.branch,
          target_branch: pr.base,
          title: pr.title,
          description: pr.body,
          ...(pr.labels.length > 0 ? { labels: pr.labels.join(',') } : {}),
        }),
      );
      if (!made)
        throw new McpGitopsError('ERR_IO', 'GitLab API: the new merge request reply is not a merge request');
      return made;
    },
    async update(number, change) {
      const made = toMergeRequest(
        await call('PUT', url(`/merge_requests/${number}`), {
          title: change.title,
          description: change.body,
        }),
      );
      if (!made)
        throw new McpGitopsError(
          'ERR_IO',
          'GitLab API: the updated merge request reply is not a merge request',
        );
      return made;
    },
  };
}

function toMergeRequest(value: unknown): ForgePullRequest | undefined {
  const number = num(value, 'iid');
  const state = str(value, 'state');
  const url = str(value, 'web_url', 2000);
  const source = num(value, 'source_project_id');
  if (
    number === undefined ||
    source === undefined ||
    source !== num(value, 'target_project_id') ||
    !['opened', 'closed', 'merged', 'locked'].includes(state) ||
    !/^https?:\/\//.test(url)
  )
    return undefined;
  return {
    number,
    url,
    state: state === 'opened' || state === 'locked' ? 'open' : state === 'merged' ? 'merged' : 'closed',
    title: str(value, 'title', 1000),
    body: str(value, 'description'),
    branch: str(value, 'source_branch', 300),
  };
}
