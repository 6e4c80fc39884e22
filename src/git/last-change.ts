/**
 * When a path (a file or a folder) last changed: the newest commit at or before a revision, along
 * first parents, whose tree differs from its parent's at that path. `status` uses it to say how
 * old each environment's reports are, since a reconcile with nothing to do writes nothing and HEAD
 * may be a later config commit. Reads one tree entry per commit; bounded by `maxDepth`.
 */
import * as fs from 'node:fs';
import { git } from './iso-git.js';
import type { GitRepo } from './types.js';

export interface PathChange {
  commit: string;
  /** Committer time, seconds since the epoch. */
  time: number;
}

/** Undefined when `path` is not at `rev`, or did not change within `maxDepth` commits. */
export async function lastChange(
  repo: GitRepo,
  rev: string,
  path: string,
  maxDepth: number,
): Promise<PathChange | undefined> {
  const dir = repo.dir;
  const cache = {};
  let oid: string | undefined = await repo.resolveRevision(rev);
  let at = await oidAt(dir, oid, path, cache);
  if (at === undefined) return undefined;
  for (let i = 0; oid !== undefined && i < maxDepth; i++) {
    const { commit } = await git.readCommit({ fs, dir, oid, cache });
    const parent = commit.parent[0];
    const before = parent === undefined ? undefined : await oidAt(dir, parent, path, cache);
    if (before !== at) return { commit: oid, time: commit.committer.timestamp };
    oid = parent;
    at = before;
  }
  return undefined;
}

/** The object id at `path` in a commit's tree (a folder's tree or a file's blob), or undefined. */
async function oidAt(dir: string, commit: string, path: string, cache: object): Promise<string | undefined> {
  try {
    return (await git.readTree({ fs, dir, oid: commit, filepath: path, cache })).oid;
  } catch {
    // Not there, or a file rather than a folder.
    const blob = await git.readBlob({ fs, dir, oid: commit, filepath: path, cache }).catch(() => undefined);
    return blob?.oid;
  }
}
