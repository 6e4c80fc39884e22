/**
 * Put the local report commits back on top of a newer remote head: each local-only commit (they
 * must all be the reconciler's report commits) is re-created on the new head with the same file
 * changes, message and author; annotated tags that pointed at a moved commit are re-created on
 * its replacement. Reports are files only the reconciler writes, so replaying them is clean.
 */
import * as fs from 'node:fs';
import { McpGitopsError } from '../core/errors.js';
import { git } from '../git/iso-git.js';
import { treeWith } from '../git/tree-with.js';
import { isReportCommit } from '../report/commit-message.js';
import { diffTrees } from './diff-trees.js';

/** More local-only commits than this means the cache is not what we think it is. */
const MAX_LOCAL = 50;

export interface Rebased {
  head: string;
  /** Old oid → new oid of every replayed commit. */
  moved: Map<string, string>;
  /** Tags re-created on a replayed commit. */
  retagged: string[];
}

/** Commits on `local` that `onto` does not contain, oldest first. */
export async function localOnlyCommits(
  dir: string,
  local: string,
  onto: string,
  cache: object,
): Promise<string[]> {
  const out: string[] = [];
  let current = local;
  while (
    current !== onto &&
    !(await git.isDescendent({ fs, dir, oid: onto, ancestor: current, depth: -1, cache }))
  ) {
    if (out.length >= MAX_LOCAL) {
      throw new McpGitopsError(
        'ERR_GIT',
        `the cache checkout ${dir} has over ${MAX_LOCAL} commits the remote lacks`,
        {
          hint: 'remove the cache folder; serve clones it again',
        },
      );
    }
    out.push(current);
    const { commit } = await git.readCommit({ fs, dir, oid: current, cache });
    const parent = commit.parent[0];
    if (!parent) break; // unrelated histories: replay everything
    current = parent;
  }
  return out.reverse();
}

export async function rebaseReports(
  dir: string,
  branch: string,
  onto: string,
  cache: object,
): Promise<Rebased> {
  const local = await git.resolveRef({ fs, dir, ref: `refs/heads/${branch}` });
  const commits = await localOnlyCommits(dir, local, onto, cache);
  const moved = new Map<string, string>();
  let head = onto;
  for (const oid of commits) {
    const { commit } = await git.readCommit({ fs, dir, oid, cache });
    if (!isReportCommit(commit.message) || commit.parent.length > 1) {
      throw new McpGitopsError(
        'ERR_GIT',
        `cannot rebase ${oid.slice(0, 12)} onto the remote: it is not one of mcp-gitops' report commits`,
        { hint: `the cache checkout ${dir} is only for mcp-gitops; remove it and serve clones it again` },
      );
    }
    const parentTree = commit.parent[0]
      ? (await git.readCommit({ fs, dir, oid: commit.parent[0], cache })).commit.tree
      : await git.writeTree({ fs, dir, tree: [] });
    const changes = await diffTrees(dir, parentTree, commit.tree, cache);
    const base = (await git.readCommit({ fs, dir, oid: head, cache })).commit.tree;
    const tree = await treeWith(dir, base, changes, cache);
    head = await git.writeCommit({
      fs,
      dir,
      commit: { ...commit, tree, parent: [head], committer: { ...commit.committer, ...now() } },
    });
    moved.set(oid, head);
  }
  const retagged = await moveTags(dir, moved, cache);
  await git.writeRef({ fs, dir, ref: `refs/heads/${branch}`, value: head, force: true });
  await git.checkout({ fs, dir, ref: branch, force: true, cache });
  return { head, moved, retagged };
}

async function moveTags(dir: string, moved: ReadonlyMap<string, string>, cache: object): Promise<string[]> {
  if (moved.size === 0) return [];
  const retagged: string[] = [];
  for (const name of await git.listTags({ fs, dir })) {
    const ref = `refs/tags/${name}`;
    const oid = await git.resolveRef({ fs, dir, ref });
    const obj = await git.readObject({ fs, dir, oid, cache });
    if (obj.type === 'commit') {
      const to = moved.get(oid);
      if (!to) continue;
      await git.writeRef({ fs, dir, ref, value: to, force: true });
    } else if (obj.type === 'tag') {
      const { tag } = await git.readTag({ fs, dir, oid, cache });
      const to = moved.get(tag.object);
      if (!to) continue;
      const value = await git.writeTag({ fs, dir, tag: { ...tag, object: to } });
      await git.writeRef({ fs, dir, ref, value, force: true });
    } else continue;
    retagged.push(name);
  }
  return retagged;
}

function now(): { timestamp: number; timezoneOffset: number } {
  return { timestamp: Math.floor(Date.now() / 1000), timezoneOffset: new Date().getTimezoneOffset() };
}
