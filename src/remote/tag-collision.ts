/**
 * A local tag against the remote's tag of the same name (push-tags.ts decides with these): the same
 * tag already; a release the remote has superseded with a later one of the same environment; or a
 * release whose version someone else took first, re-created here under the next free version, so
 * that neither release overwrites nor loses the other.
 */
import * as fs from 'node:fs';
import { McpGitopsError } from '../core/errors.js';
import { git } from '../git/iso-git.js';
import { nextFreeTag, recordedBump, retagMessage, splitVersionTag } from '../version/retag.js';
import type { RemoteRef } from './remote-refs.js';

/** The cache checkout the tags live in, and the remote (for messages). */
export interface TagRepo {
  dir: string;
  /** isomorphic-git's object cache for `dir`. */
  cache: object;
  url: string;
}

/**
 * Re-create the tag `name` (an annotated release tag) under the next free version of its prefix,
 * same commit, tagger and message but for the version and a line saying why; the old local name
 * is removed (the remote's tag of that name replaces it at the next fetch).
 */
export async function retag(
  repo: TagRepo,
  name: string,
  oid: string,
  remote: Map<string, RemoteRef>,
): Promise<string> {
  const obj = await git.readObject({ fs, dir: repo.dir, oid, cache: repo.cache });
  if (obj.type !== 'tag' || !splitVersionTag(name)) {
    throw new McpGitopsError(
      'ERR_GIT',
      `tag ${name} exists on ${repo.url} at another commit and is not a release tag mcp-gitops can renumber`,
      { hint: `compare the two (git ls-remote --tags ${repo.url}) and remove one of them` },
    );
  }
  const { tag } = await git.readTag({ fs, dir: repo.dir, oid, cache: repo.cache });
  const known = [
    ...[...remote.keys()].filter((r) => r.startsWith('refs/tags/')).map((r) => r.slice('refs/tags/'.length)),
    ...(await git.listTags({ fs, dir: repo.dir })),
  ];
  const to = nextFreeTag(name, recordedBump(tag.message), known);
  if (!to) throw new McpGitopsError('ERR_GIT', `tag ${name}: no free version left to rename it to`);
  const message = retagMessage(tag.message, name, to, 'existed on the remote at another commit');
  const { gpgsig: _signature, ...unsigned } = tag; // a signature would not match the new text
  const value = await git.writeTag({ fs, dir: repo.dir, tag: { ...unsigned, tag: to, message } });
  await git.writeRef({ fs, dir: repo.dir, ref: `refs/tags/${to}`, value });
  await git.deleteRef({ fs, dir: repo.dir, ref: `refs/tags/${name}` });
  return to;
}

/**
 * Whether the remote has a release of the same environment (tag prefix) at a commit that comes
 * after the one `oid` tags: then that release already includes this one (a release that never
 * reached the remote, seen after another process released on top of it).
 */
export async function superseded(
  repo: TagRepo,
  name: string,
  oid: string,
  remote: Map<string, RemoteRef>,
): Promise<boolean> {
  const own = splitVersionTag(name);
  if (!own) return false;
  const commit = await peel(repo, oid);
  for (const [ref, theirs] of remote) {
    if (!ref.startsWith('refs/tags/')) continue;
    const other = splitVersionTag(ref.slice('refs/tags/'.length));
    if (!other || other.prefix !== own.prefix) continue;
    const at = theirs.peeled ?? theirs.oid;
    if (at === commit) continue;
    const later = await git
      .isDescendent({ fs, dir: repo.dir, oid: at, ancestor: commit, depth: -1, cache: repo.cache })
      .catch(() => false); // their commit is not here: not known to be later
    if (later) return true;
  }
  return false;
}

/** The same object, or (another annotation of) the same commit: nothing to push. */
export async function sameTag(repo: TagRepo, theirs: RemoteRef, local: string): Promise<boolean> {
  if (theirs.oid === local) return true;
  return (theirs.peeled ?? theirs.oid) === (await peel(repo, local).catch(() => local));
}

async function peel(repo: TagRepo, oid: string): Promise<string> {
  let current = oid;
  for (let i = 0; i < 10; i++) {
    const obj = await git.readObject({ fs, dir: repo.dir, oid: current, cache: repo.cache });
    if (obj.type !== 'tag') return current;
    current = (await git.readTag({ fs, dir: repo.dir, oid: current, cache: repo.cache })).tag.object;
  }
  return current;
}
