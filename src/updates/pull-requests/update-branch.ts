/**
 * The update branch in git, without touching the user's work tree or index: blobs, trees (only
 * those on the changed paths, src/git/tree-with.ts) and a commit object on top of the base
 * branch's commit, written into the object store; then `refs/heads/<branch>` is set and pushed to
 * the config repo's remote. Only the update branch is ever force-pushed (a newer version replaces
 * its commit, as Renovate does); the base branch is never pushed from here.
 */
import * as fs from 'node:fs';
import type { AuthCallback } from 'isomorphic-git';
import { McpGitopsError } from '../../core/errors.js';
import { gitHttpClient } from '../../git/http-client.js';
import { git } from '../../git/iso-git.js';
import { treeWith } from '../../git/tree-with.js';
import type { GitAuthor } from '../../git/types.js';

export interface BranchCommit {
  commit: string;
  tree: string;
}

/** A commit of `base` with `files` written over its tree (path → text). Nothing outside .git changes. */
export async function commitOnBase(
  dir: string,
  base: string,
  files: ReadonlyMap<string, string>,
  message: string,
  author: GitAuthor,
  cache: object = {},
): Promise<BranchCommit> {
  const changes = new Map<string, string>();
  for (const [path, text] of files)
    changes.set(path, await git.writeBlob({ fs, dir, blob: Buffer.from(text, 'utf8') }));
  const baseTree = (await git.readCommit({ fs, dir, oid: base, cache })).commit.tree;
  const tree = await treeWith(dir, baseTree, changes, cache);
  const commit = await git.commit({
    fs,
    dir,
    message,
    author,
    committer: author,
    parent: [base],
    tree,
    noUpdateBranch: true,
    cache,
  });
  return { commit, tree };
}

/** The remote pushes go to (`origin`, else the first) and its URL. */
export async function updateRemote(dir: string): Promise<{ remote: string; url: string }> {
  const remotes = await git.listRemotes({ fs, dir });
  const remote = remotes.find((r) => r.remote === 'origin') ?? remotes[0];
  if (!remote) {
    throw new McpGitopsError(
      'ERR_USAGE',
      '--open-prs: the config repo has no git remote to push update branches to',
      {
        hint: 'add one with `git remote add origin https://…` (update branches are pushed over http(s))',
      },
    );
  }
  return remote;
}

/**
 * The commit the remote's `branch` points at, with its tree and first parent, fetched into
 * `refs/remotes/<remote>/<branch>` when this clone does not have it. Undefined: no such branch.
 */
export async function remoteBranchHead(
  dir: string,
  remote: { remote: string; url: string },
  branch: string,
  onAuth?: AuthCallback,
  cache: object = {},
): Promise<{ commit: string; tree: string; parent?: string } | undefined> {
  const http = gitHttpClient();
  let oid: string | undefined;
  try {
    const refs = await git.listServerRefs({
      http,
      url: remote.url,
      prefix: `refs/heads/${branch}`,
      ...(onAuth ? { onAuth } : {}),
    });
    oid = refs.find((r) => r.ref === `refs/heads/${branch}`)?.oid;
  } catch (err) {
    throw gitError(`cannot list the branches of ${remote.remote}`, err);
  }
  if (!oid) return undefined;
  const have = await git.readCommit({ fs, dir, oid, cache }).catch(() => undefined);
  let read = have;
  if (!read) {
    try {
      await git.fetch({
        fs,
        http,
        dir,
        remote: remote.remote,
        ref: branch,
        singleBranch: true,
        tags: false,
        ...(onAuth ? { onAuth } : {}),
        cache,
      });
    } catch (err) {
      throw gitError(`cannot fetch ${branch} from ${remote.remote}`, err);
    }
    read = await git.readCommit({ fs, dir, oid, cache }).catch(() => undefined);
    if (!read) return undefined;
  }
  const parent = read.commit.parent[0];
  return { commit: oid, tree: read.commit.tree, ...(parent === undefined ? {} : { parent }) };
}

/** Sets `refs/heads/<branch>` to `commit` and force-pushes that one branch. */
export async function pushUpdateBranch(
  dir: string,
  remote: { remote: string },
  branch: string,
  commit: string,
  onAuth?: AuthCallback,
  cache: object = {},
): Promise<void> {
  await git.writeRef({ fs, dir, ref: `refs/heads/${branch}`, value: commit, force: true });
  try {
    const result = await git.push({
      fs,
      http: gitHttpClient(),
      dir,
      remote: remote.remote,
      ref: `refs/heads/${branch}`,
      remoteRef: `refs/heads/${branch}`,
      force: true,
      ...(onAuth ? { onAuth } : {}),
      cache,
    });
    if (!result.ok) throw new Error(result.error ?? 'rejected');
  } catch (err) {
    throw gitError(`cannot push ${branch} to ${remote.remote}`, err);
  }
}

function gitError(message: string, err: unknown): McpGitopsError {
  const detail = err instanceof Error ? err.message.split('\n')[0]?.slice(0, 300) : 'failed';
  return new McpGitopsError('ERR_GIT', `${message}: ${detail}`, {
    hint: 'isomorphic-git pushes over http(s) only; check the remote URL and access',
  });
}
