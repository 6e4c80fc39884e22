/**
 * What `updates --open-prs` needs from a forge: find the pull requests of a branch (every state),
 * open one, change one's title and body, label one. GitHub and GitLab implement it.
 */
export type ForgeId = 'github' | 'gitlab';

export interface ForgePullRequest {
  number: number;
  url: string;
  state: 'open' | 'closed' | 'merged';
  title: string;
  body: string;
  /** The source branch. */
  branch: string;
}

export interface NewPullRequest {
  branch: string;
  base: string;
  title: string;
  body: string;
  labels: string[];
}

export interface Forge {
  id: ForgeId;
  /** Pull requests whose source branch is `branch`, newest first. */
  pullRequests(branch: string): Promise<ForgePullRequest[]>;
  /** Opens it; `warning` says what did not work after it was opened (labels). */
  open(pr: NewPullRequest): Promise<ForgePullRequest & { warning?: string }>;
  update(number: number, change: { title: string; body: string }): Promise<ForgePullRequest>;
}

export interface ForgeSettings {
  /** `owner/name` (GitHub) or a project path or id (GitLab). */
  repository: string;
  apiUrl: string;
  token: string;
  timeoutMs?: number;
}
