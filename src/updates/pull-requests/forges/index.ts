/**
 * The forges `updates --open-prs` can open pull requests on, one registry keyed by id, and the
 * choice of one from the Repository's `updates.pullRequests` (github or gitlab; the token is a
 * secret reference resolved here, just before use, and registered with the redactor).
 */
import { McpGitopsError } from '../../../core/errors.js';
import type { UpdatePullRequestsSpec } from '../../../core/resources.js';
import { GITHUB_API, githubForge } from './github.js';
import { GITLAB_API, gitlabForge } from './gitlab.js';
import type { Forge, ForgeId, ForgeSettings } from './types.js';

export type { Forge, ForgeId, ForgePullRequest, NewPullRequest } from './types.js';

export const FORGES: ReadonlyMap<
  ForgeId,
  { make: (s: ForgeSettings) => Forge; defaultApi: string; tokenEnv: string }
> = new Map([
  ['github', { make: githubForge, defaultApi: GITHUB_API, tokenEnv: 'GITHUB_TOKEN' }],
  ['gitlab', { make: gitlabForge, defaultApi: GITLAB_API, tokenEnv: 'GITLAB_TOKEN' }],
] as const);

/** Which forge the settings name, its repository, API URL and token reference. */
export function forgeChoice(spec: UpdatePullRequestsSpec | undefined): {
  id: ForgeId;
  repository: string;
  apiUrl: string;
  tokenRef: string;
} {
  const gh = spec?.github;
  const gl = spec?.gitlab;
  if (gh && gl) {
    throw new McpGitopsError('ERR_INVALID_CONFIG', 'updates.pullRequests names both github and gitlab', {
      hint: 'keep the one the config repo is hosted on',
    });
  }
  if (!gh && !gl) {
    throw new McpGitopsError(
      'ERR_USAGE',
      '--open-prs: the Repository has no updates.pullRequests.github or .gitlab',
      {
        hint: 'add updates: { pullRequests: { github: { repository: owner/name, token: { ref: env:GITHUB_TOKEN } } } } to mcp-gitops.yaml',
      },
    );
  }
  const id: ForgeId = gh ? 'github' : 'gitlab';
  const entry = FORGES.get(id)!;
  const apiUrl = (gh ? gh.apiUrl : gl?.apiUrl) ?? entry.defaultApi;
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new McpGitopsError('ERR_INVALID_CONFIG', `updates.pullRequests.${id}.apiUrl is not a URL`);
  }
  if (
    (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
    parsed.username ||
    parsed.password ||
    parsed.search
  ) {
    throw new McpGitopsError(
      'ERR_INVALID_CONFIG',
      `updates.pullRequests.${id}.apiUrl must be an http(s) URL with no credentials or query`,
    );
  }
  return {
    id,
    repository: gh ? gh.repository : (gl?.project as string),
    apiUrl,
    tokenRef: (gh ? gh.token?.ref : gl?.token?.ref) ?? `env:${entry.tokenEnv}`,
  };
}

export function makeForge(id: ForgeId, settings: ForgeSettings): Forge {
  const entry = FORGES.get(id);
  if (!entry)
    throw new McpGitopsError('ERR_USAGE', `unknown forge ${id}; known: ${[...FORGES.keys()].join(', ')}`);
  return entry.make(settings);
}
