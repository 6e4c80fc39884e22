/** Push the checked-out branch (and tags) to the config repo's remote, as `reconcile --push` does. */
import { McpGitopsError } from '../core/errors.js';
import type { GitRepo } from '../git/types.js';

/** The remote pushes go to: `origin`, else the first one; an error that says how to add one. */
export async function pushRemote(repo: GitRepo): Promise<string> {
  const remotes = await repo.listRemotes();
  const remote = remotes.find((r) => r.remote === 'origin') ?? remotes[0];
  if (!remote) {
    throw new McpGitopsError('ERR_USAGE', `--push: ${repo.dir} has no git remote to push to`, {
      hint: 'add one with `git remote add origin https://…` (isomorphic-git pushes over http(s)), or run without --push',
    });
  }
  return remote.remote;
}

export async function pushBranch(repo: GitRepo, branch: string, tags: readonly string[] = []): Promise<void> {
  const remote = await pushRemote(repo);
  await repo.push(remote, [`refs/heads/${branch}`, ...tags.map((t) => `refs/tags/${t}`)]);
}
