/**
 * Pushing the cache checkout's tags to the remote config repo, after the branch
 * (remote-config-repo.ts pushes the branch, then hands the tags here). A tag is pushed only as what
 * it is: one the remote has at the same object is already there; one the remote has at another
 * commit (someone released that version first) is renamed to the next free version and pushed
 * under that name, a bounded number of times, and said so in the log; a release older than one
 * the remote already has of the same environment is superseded and removed here (the comparisons
 * and the renaming are in tag-collision.ts). A tag that cannot be pushed is an error, never
 * counted as pushed.
 */
import * as fs from 'node:fs';
import type { AuthCallback, HttpClient } from 'isomorphic-git';
import { McpGitopsError } from '../core/errors.js';
import { git } from '../git/iso-git.js';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import { splitVersionTag } from '../version/retag.js';
import { isRejection, type RemoteRef } from './remote-refs.js';
import { retag, sameTag, superseded, type TagRepo } from './tag-collision.js';

/** What a push did with the tags (part of remote-config-repo.ts's PushResult). */
export interface PushedTags {
  /** Tags now on the remote that this push sent, under their final names. */
  tags: string[];
  /** Tags whose version someone else had pushed at another commit, and the name they got. */
  retagged: { from: string; to: string }[];
  /** Local releases not pushed because the remote has a later release of that environment. */
  superseded: string[];
}

export interface TagPush extends TagRepo {
  http: HttpClient;
  /** isomorphic-git `onAuth` for this remote (undefined without a token). */
  onAuth: AuthCallback | undefined;
  logger: Logger;
  /** Names tried for one tag whose version keeps being taken on the remote. */
  maxTagAttempts: number;
  /** The remote's refs, listed again (after a tag push was refused). */
  serverRefs: () => Promise<Map<string, RemoteRef>>;
}

/**
 * Push every local tag the remote does not have as it is, given the remote's refs as listed
 * after the branch push; what happened goes into `out`. Tags that could not be pushed are one
 * error at the end, after the others were tried.
 */
export async function pushTags(ctx: TagPush, listed: Map<string, RemoteRef>, out: PushedTags): Promise<void> {
  let remote = listed;
  const failures: string[] = [];
  for (const name of await localTagsInOrder(ctx)) {
    const theirs = remote.get(`refs/tags/${name}`);
    if (theirs && (await sameTag(ctx, theirs, await tagOid(ctx, name)))) continue;
    try {
      remote = await pushTag(ctx, name, remote, out);
    } catch (err) {
      failures.push(redactor.redact(err instanceof Error ? err.message : String(err)));
    }
  }
  if (failures.length > 0) {
    const pushed = out.tags.length > 0 ? ` (pushed: ${out.tags.join(', ')})` : '';
    throw new McpGitopsError(
      'ERR_GIT',
      `the branch is on ${ctx.url}, but not every tag could be pushed${pushed}: ${failures.join('; ')}`,
      {
        hint: 'the tags not pushed stay in the cache checkout and the next push tries them again',
      },
    );
  }
}

/**
 * Push one local tag the remote does not have as it is. Taken at another commit: rename it to
 * the next free version (or drop it when a later release of its environment is on the remote)
 * and try again, at most `maxTagAttempts` names. Returns the remote's refs as last listed.
 */
async function pushTag(
  ctx: TagPush,
  name: string,
  listed: Map<string, RemoteRef>,
  out: PushedTags,
): Promise<Map<string, RemoteRef>> {
  const net = { fs, http: ctx.http, dir: ctx.dir, url: ctx.url, onAuth: ctx.onAuth, cache: ctx.cache };
  const { logger } = ctx;
  let remote = listed;
  let current = name;
  let lastError: unknown;
  for (let attempt = 1; attempt <= ctx.maxTagAttempts; attempt++) {
    const local = await tagOid(ctx, current);
    const theirs = remote.get(`refs/tags/${current}`);
    if (theirs && (await sameTag(ctx, theirs, local))) return remote; // it got there meanwhile
    if (theirs) {
      if (await superseded(ctx, current, local, remote)) {
        await git.deleteRef({ fs, dir: ctx.dir, ref: `refs/tags/${current}` });
        out.superseded.push(current);
        logger.warn(
          { tag: current, url: ctx.url },
          `tag ${current} existed on the remote at another commit, and the remote has a later release of that environment: not pushed, removed here`,
        );
        return remote;
      }
      const renamed = await retag(ctx, current, local, remote);
      logger.warn(
        { tag: current, retagged: renamed, url: ctx.url },
        `tag ${current} existed on the remote at another commit: tagged ${renamed} instead`,
      );
      const first = out.retagged.find((r) => r.to === current);
      if (first) first.to = renamed;
      else out.retagged.push({ from: current, to: renamed });
      current = renamed;
      continue;
    }
    try {
      await git.push({ ...net, ref: `refs/tags/${current}` });
      out.tags.push(current);
      return remote;
    } catch (err) {
      if (!isRejection(err)) throw tagError(ctx, current, err);
      // Taken between our listing and our push: list again and decide as above.
      lastError = err;
      remote = await ctx.serverRefs();
      if (!remote.has(`refs/tags/${current}`)) throw tagError(ctx, current, err);
    }
  }
  throw tagError(
    ctx,
    current,
    lastError ?? new Error(`its version was taken on the remote ${ctx.maxTagAttempts} times in a row`),
  );
}

/** Local tags, releases of one prefix in version order (so renames keep their order). */
async function localTagsInOrder(repo: TagRepo): Promise<string[]> {
  const names = await git.listTags({ fs, dir: repo.dir });
  const key = (n: string) => {
    const v = splitVersionTag(n);
    return v
      ? `${v.prefix}\0${v.version
          .split('.')
          .map((p) => p.padStart(12, '0'))
          .join('.')}`
      : n;
  };
  return names.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function tagOid(repo: TagRepo, name: string): Promise<string> {
  return git.resolveRef({ fs, dir: repo.dir, ref: `refs/tags/${name}` });
}

function tagError(repo: TagRepo, name: string, err: unknown): McpGitopsError {
  if (err instanceof McpGitopsError) return err;
  const detail = redactor.redact(err instanceof Error ? err.message : String(err));
  return new McpGitopsError('ERR_GIT', `cannot push tag ${name} to ${repo.url}: ${detail}`, { cause: err });
}
