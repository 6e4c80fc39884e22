/**
 * A config repo that lives on a remote git server, mirrored into a local cache checkout that only
 * mcp-gitops writes to. `sync` clones or fetches the branch and the remote's tags (so the next
 * version of an environment counts the releases made elsewhere) and moves the checkout to the
 * remote branch head (local report commits not pushed yet are replayed on top); `push` sends the
 * branch and every local tag the remote lacks, and on a non-fast-forward rejection fetches,
 * rebases the report commits onto the new head and tries again, a bounded number of times.
 *
 * A tag is pushed only as what it is: one the remote has at the same object is already there; one
 * the remote has at another commit (someone released that version first) is renamed to the next
 * free version and pushed under that name, a bounded number of times, and said so in the log; a
 * release older than one the remote already has of the same environment is superseded and
 * removed here. A tag that cannot be pushed is an error, never counted as pushed.
 */
import * as fs from 'node:fs';
import { McpGitopsError } from '../core/errors.js';
import { gitHttpClient } from '../git/http-client.js';
import { git } from '../git/iso-git.js';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import { isReportCommit } from '../report/commit-message.js';
import { nextFreeTag, recordedBump, retagMessage, splitVersionTag } from '../version/retag.js';
import { cacheDirFor } from './cache-path.js';
import { localOnlyCommits, rebaseReports } from './rebase-reports.js';
import { checkRemoteUrl, tokenAuth } from './remote-auth.js';

export interface RemoteConfigRepoOptions {
  url: string;
  branch: string;
  stateDir: string;
  token?: string;
  logger: Logger;
  /** Push attempts before giving up (default 3). */
  maxPushAttempts?: number;
  /** Names tried for one tag whose version keeps being taken on the remote (default 5). */
  maxTagAttempts?: number;
}

export interface SyncResult {
  /** The branch head after the sync (the remote head, plus any replayed local report commits). */
  head: string;
  /** The remote branch head that was fetched. */
  remoteHead: string;
  /** The local head before the sync (undefined on the first clone). */
  previous?: string;
}

export interface PushResult {
  /** Branch head now on the remote. */
  head: string;
  /** Whether the branch was pushed (false: the remote had it already). */
  pushedBranch: boolean;
  /** Tags now on the remote that this push sent, under their final names. */
  tags: string[];
  /** Tags whose version someone else had pushed at another commit, and the name they got. */
  retagged: { from: string; to: string }[];
  /** Local releases not pushed because the remote has a later release of that environment. */
  superseded: string[];
  attempts: number;
  /** Report commits replayed onto a newer remote head on the way. */
  rebased: number;
}

export class RemoteConfigRepo {
  readonly dir: string;
  private readonly cache = {};
  /** isomorphic-git `onAuth` for this remote (undefined without a token). */
  readonly auth;
  private readonly maxAttempts: number;
  private readonly maxTagAttempts: number;
  private readonly http = gitHttpClient();

  constructor(private readonly options: RemoteConfigRepoOptions) {
    checkRemoteUrl(options.url);
    this.dir = cacheDirFor(options.stateDir, options.url);
    this.auth = tokenAuth(options.token);
    this.maxAttempts = options.maxPushAttempts ?? 3;
    this.maxTagAttempts = options.maxTagAttempts ?? 5;
  }

  get url(): string {
    return this.options.url;
  }

  get branch(): string {
    return this.options.branch;
  }

  /** Whether a checkout exists (for /readyz). */
  ready(): boolean {
    return fs.existsSync(`${this.dir}/.git/HEAD`);
  }

  /**
   * Clone or fetch: the branch and the remote's tags (a tag already here keeps its local value:
   * a release of ours not pushed yet is settled by `push`).
   */
  async sync(): Promise<SyncResult> {
    const { url, branch } = this.options;
    const net = { fs, http: this.http, dir: this.dir, url, onAuth: this.auth, cache: this.cache };
    if (!this.ready()) {
      await fs.promises.mkdir(this.dir, { recursive: true });
      // Not singleBranch: a single-branch clone or fetch leaves every tag behind.
      await this.wrap('clone', () => git.clone({ ...net, ref: branch, singleBranch: false }));
      const head = await this.localHead();
      return { head, remoteHead: head };
    }
    const previous = await this.localHead();
    const fetched = await this.wrap('fetch', () =>
      git.fetch({ ...net, remote: 'origin', ref: branch, singleBranch: false, tags: true }),
    );
    const remoteHead = fetched.fetchHead as string;
    const head = await this.moveTo(remoteHead, previous);
    return { head, remoteHead, previous };
  }

  /** Push the branch and the tags the remote lacks; rebase and retry on non-fast-forward. */
  async push(): Promise<PushResult> {
    let rebased = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.pushOnce();
        return { ...out, attempts: attempt, rebased };
      } catch (err) {
        if (!isRejection(err) || attempt >= this.maxAttempts) throw this.pushError(err, attempt);
        this.options.logger.warn(
          { attempt, url: this.url },
          'push rejected (the remote moved): fetch, rebase, retry',
        );
        const before = await this.localHead();
        const { remoteHead } = await this.sync();
        const commits = await localOnlyCommits(this.dir, await this.localHead(), remoteHead, this.cache);
        rebased += commits.length;
        this.options.logger.info(
          { from: before, onto: remoteHead, commits: commits.length },
          'rebased report commits',
        );
      }
    }
  }

  private async pushOnce(): Promise<Omit<PushResult, 'attempts' | 'rebased'>> {
    const { url, branch } = this.options;
    const net = { fs, http: this.http, dir: this.dir, url, onAuth: this.auth, cache: this.cache };
    const head = await this.localHead();
    let remote = await this.serverRefs();
    let pushedBranch = false;
    if (remote.get(`refs/heads/${branch}`)?.oid !== head) {
      await git.push({ ...net, remote: 'origin', ref: branch, remoteRef: branch });
      pushedBranch = true;
    }
    const out = { head, pushedBranch, tags: [] as string[], retagged: [], superseded: [] } as Omit<
      PushResult,
      'attempts' | 'rebased'
    >;
    const failures: string[] = [];
    for (const name of await this.localTagsInOrder()) {
      const theirs = remote.get(`refs/tags/${name}`);
      if (theirs && (await this.sameTag(theirs, await this.tagOid(name)))) continue;
      try {
        remote = await this.pushTag(name, remote, out);
      } catch (err) {
        failures.push(redactor.redact(err instanceof Error ? err.message : String(err)));
      }
    }
    if (failures.length > 0) {
      const pushed = out.tags.length > 0 ? ` (pushed: ${out.tags.join(', ')})` : '';
      throw new McpGitopsError(
        'ERR_GIT',
        `the branch is on ${this.url}, but not every tag could be pushed${pushed}: ${failures.join('; ')}`,
        {
          hint: 'the tags not pushed stay in the cache checkout and the next push tries them again',
        },
      );
    }
    return out;
  }

  /**
   * Push one local tag the remote does not have as it is. Taken at another commit: rename it to
   * the next free version (or drop it when a later release of its environment is on the remote)
   * and try again, at most `maxTagAttempts` names. Returns the remote's refs as last listed.
   */
  private async pushTag(
    name: string,
    listed: Map<string, RemoteRef>,
    out: Omit<PushResult, 'attempts' | 'rebased'>,
  ): Promise<Map<string, RemoteRef>> {
    const net = { fs, http: this.http, dir: this.dir, url: this.url, onAuth: this.auth, cache: this.cache };
    const { logger } = this.options;
    let remote = listed;
    let current = name;
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxTagAttempts; attempt++) {
      const local = await this.tagOid(current);
      const theirs = remote.get(`refs/tags/${current}`);
      if (theirs && (await this.sameTag(theirs, local))) return remote; // it got there meanwhile
      if (theirs) {
        if (await this.superseded(current, local, remote)) {
          await git.deleteRef({ fs, dir: this.dir, ref: `refs/tags/${current}` });
          out.superseded.push(current);
          logger.warn(
            { tag: current, url: this.url },
            `tag ${current} existed on the remote at another commit, and the remote has a later release of that environment: not pushed, removed here`,
          );
          return remote;
        }
        const renamed = await this.retag(current, local, remote);
        logger.warn(
          { tag: current, retagged: renamed, url: this.url },
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
        if (!isRejection(err)) throw this.tagError(current, err);
        // Taken between our listing and our push: list again and decide as above.
        lastError = err;
        remote = await this.serverRefs();
        if (!remote.has(`refs/tags/${current}`)) throw this.tagError(current, err);
      }
    }
    throw this.tagError(
      current,
      lastError ?? new Error(`its version was taken on the remote ${this.maxTagAttempts} times in a row`),
    );
  }

  /**
   * Re-create the tag `name` (an annotated release tag) under the next free version of its prefix,
   * same commit, tagger and message but for the version and a line saying why; the old local name
   * is removed (the remote's tag of that name replaces it at the next fetch).
   */
  private async retag(name: string, oid: string, remote: Map<string, RemoteRef>): Promise<string> {
    const obj = await git.readObject({ fs, dir: this.dir, oid, cache: this.cache });
    if (obj.type !== 'tag' || !splitVersionTag(name)) {
      throw new McpGitopsError(
        'ERR_GIT',
        `tag ${name} exists on ${this.url} at another commit and is not a release tag mcp-gitops can renumber`,
        { hint: `compare the two (git ls-remote --tags ${this.url}) and remove one of them` },
      );
    }
    const { tag } = await git.readTag({ fs, dir: this.dir, oid, cache: this.cache });
    const known = [
      ...[...remote.keys()]
        .filter((r) => r.startsWith('refs/tags/'))
        .map((r) => r.slice('refs/tags/'.length)),
      ...(await git.listTags({ fs, dir: this.dir })),
    ];
    const to = nextFreeTag(name, recordedBump(tag.message), known);
    if (!to) throw new McpGitopsError('ERR_GIT', `tag ${name}: no free version left to rename it to`);
    const message = retagMessage(tag.message, name, to, 'existed on the remote at another commit');
    const { gpgsig: _signature, ...unsigned } = tag; // a signature would not match the new text
    const value = await git.writeTag({ fs, dir: this.dir, tag: { ...unsigned, tag: to, message } });
    await git.writeRef({ fs, dir: this.dir, ref: `refs/tags/${to}`, value });
    await git.deleteRef({ fs, dir: this.dir, ref: `refs/tags/${name}` });
    return to;
  }

  /**
   * Whether the remote has a release of the same environment (tag prefix) at a commit that comes
   * after the one `oid` tags: then that release already includes this one (a release that never
   * reached the remote, seen after another process released on top of it).
   */
  private async superseded(name: string, oid: string, remote: Map<string, RemoteRef>): Promise<boolean> {
    const own = splitVersionTag(name);
    if (!own) return false;
    const commit = await this.peel(oid);
    for (const [ref, theirs] of remote) {
      if (!ref.startsWith('refs/tags/')) continue;
      const other = splitVersionTag(ref.slice('refs/tags/'.length));
      if (!other || other.prefix !== own.prefix) continue;
      const at = theirs.peeled ?? theirs.oid;
      if (at === commit) continue;
      const later = await git
        .isDescendent({ fs, dir: this.dir, oid: at, ancestor: commit, depth: -1, cache: this.cache })
        .catch(() => false); // their commit is not here: not known to be later
      if (later) return true;
    }
    return false;
  }

  /** The same object, or (another annotation of) the same commit: nothing to push. */
  private async sameTag(theirs: RemoteRef, local: string): Promise<boolean> {
    if (theirs.oid === local) return true;
    return (theirs.peeled ?? theirs.oid) === (await this.peel(local).catch(() => local));
  }

  /** Local tags, releases of one prefix in version order (so renames keep their order). */
  private async localTagsInOrder(): Promise<string[]> {
    const names = await git.listTags({ fs, dir: this.dir });
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

  private tagOid(name: string): Promise<string> {
    return git.resolveRef({ fs, dir: this.dir, ref: `refs/tags/${name}` });
  }

  private async peel(oid: string): Promise<string> {
    let current = oid;
    for (let i = 0; i < 10; i++) {
      const obj = await git.readObject({ fs, dir: this.dir, oid: current, cache: this.cache });
      if (obj.type !== 'tag') return current;
      current = (await git.readTag({ fs, dir: this.dir, oid: current, cache: this.cache })).tag.object;
    }
    return current;
  }

  /** The remote's refs: ref → object (and, for an annotated tag, the commit it peels to). */
  private async serverRefs(): Promise<Map<string, RemoteRef>> {
    const { url } = this.options;
    const refs = await this.wrap('list refs of', () =>
      git.listServerRefs({ http: this.http, url, onAuth: this.auth, peelTags: true }),
    );
    return new Map(refs.map((r) => [r.ref, { oid: r.oid, peeled: r.peeled }]));
  }

  private tagError(name: string, err: unknown): McpGitopsError {
    if (err instanceof McpGitopsError) return err;
    const detail = redactor.redact(err instanceof Error ? err.message : String(err));
    return new McpGitopsError('ERR_GIT', `cannot push tag ${name} to ${this.url}: ${detail}`, { cause: err });
  }

  /** Move the checkout to `remoteHead`, replaying local-only report commits; returns the new head. */
  private async moveTo(remoteHead: string, local: string): Promise<string> {
    const { branch, logger } = this.options;
    if (local === remoteHead) return local;
    const localOnly = await localOnlyCommits(this.dir, local, remoteHead, this.cache);
    if (localOnly.length === 0) {
      await git.writeRef({ fs, dir: this.dir, ref: `refs/heads/${branch}`, value: remoteHead, force: true });
      await git.checkout({ fs, dir: this.dir, ref: branch, force: true, cache: this.cache });
      return remoteHead;
    }
    const messages = await Promise.all(
      localOnly.map(
        async (oid) => (await git.readCommit({ fs, dir: this.dir, oid, cache: this.cache })).commit.message,
      ),
    );
    if (messages.every(isReportCommit))
      return (await rebaseReports(this.dir, branch, remoteHead, this.cache)).head;
    // Only a rewritten remote history gets here (the cache holds nothing but report commits).
    logger.warn(
      { url: this.url, dropped: localOnly.length },
      'remote history was rewritten: resetting the cache checkout',
    );
    await git.writeRef({ fs, dir: this.dir, ref: `refs/heads/${branch}`, value: remoteHead, force: true });
    await git.checkout({ fs, dir: this.dir, ref: branch, force: true, cache: this.cache });
    return remoteHead;
  }

  private localHead(): Promise<string> {
    return git.resolveRef({ fs, dir: this.dir, ref: `refs/heads/${this.options.branch}` });
  }

  private async wrap<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const detail = redactor.redact(err instanceof Error ? err.message : String(err));
      throw new McpGitopsError('ERR_GIT', `cannot ${what} ${this.url} (branch ${this.branch}): ${detail}`, {
        hint: 'check the URL, the branch, and the token (--git-token-file or MCP_GITOPS_GIT_TOKEN)',
        cause: err,
      });
    }
  }

  private pushError(err: unknown, attempts: number): McpGitopsError {
    if (err instanceof McpGitopsError) return err;
    const detail = redactor.redact(err instanceof Error ? err.message : String(err));
    return new McpGitopsError(
      'ERR_GIT',
      `cannot push the reports to ${this.url} after ${attempts} attempt(s): ${detail}`,
      {
        hint: isRejection(err)
          ? 'the remote kept moving; the next reconcile pushes again'
          : 'check the token has write access (--git-token-file or MCP_GITOPS_GIT_TOKEN)',
        cause: err,
      },
    );
  }
}

interface RemoteRef {
  oid: string;
  /** For an annotated tag: the commit it points at. */
  peeled?: string;
}

/** A push refused because the remote branch moved (client-side check or the server's answer). */
function isRejection(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'PushRejectedError' || code === 'GitPushError';
}
