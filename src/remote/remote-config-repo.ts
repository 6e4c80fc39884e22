/**
 * A config repo that lives on a remote git server, mirrored into a local cache checkout that only
 * mcp-gitops writes to. `sync` clones or fetches the branch and the remote's tags (so the next
 * version of an environment counts the releases made elsewhere) and moves the checkout to the
 * remote branch head (local report commits not pushed yet are replayed on top); `push` sends the
 * branch and every local tag the remote lacks, and on a non-fast-forward rejection fetches,
 * rebases the report commits onto the new head and tries again, a bounded number of times.
 *
 * How each tag is pushed (as it is, renamed on a collision, or superseded) is push-tags.ts, with
 * the comparisons and the renaming in tag-collision.ts; this class holds the checkout, the branch
 * and the retries, and composes them.
 */
import * as fs from 'node:fs';
import { McpGitopsError } from '../core/errors.js';
import { gitHttpClient } from '../git/http-client.js';
import { git } from '../git/iso-git.js';
import type { Logger } from '../log/logger.js';
import { redactor } from '../log/redact.js';
import { isReportCommit } from '../report/commit-message.js';
import { cacheDirFor } from './cache-path.js';
import { type PushedTags, pushTags } from './push-tags.js';
import { localOnlyCommits, rebaseReports } from './rebase-reports.js';
import { checkRemoteUrl, tokenAuth } from './remote-auth.js';
import { isRejection, type RemoteRef } from './remote-refs.js';

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

export interface PushResult extends PushedTags {
  /** Branch head now on the remote. */
  head: string;
  /** Whether the branch was pushed (false: the remote had it already). */
  pushedBranch: boolean;
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
    const remote = await this.serverRefs();
    let pushedBranch = false;
    if (remote.get(`refs/heads/${branch}`)?.oid !== head) {
      await git.push({ ...net, remote: 'origin', ref: branch, remoteRef: branch });
      pushedBranch = true;
    }
    const out = { head, pushedBranch, tags: [] as string[], retagged: [], superseded: [] } as Omit<
      PushResult,
      'attempts' | 'rebased'
    >;
    await pushTags(
      {
        dir: this.dir,
        cache: this.cache,
        url: this.url,
        http: this.http,
        onAuth: this.auth,
        logger: this.options.logger,
        maxTagAttempts: this.maxTagAttempts,
        serverRefs: () => this.serverRefs(),
      },
      remote,
      out,
    );
    return out;
  }

  /** The remote's refs: ref → object (and, for an annotated tag, the commit it peels to). */
  private async serverRefs(): Promise<Map<string, RemoteRef>> {
    const { url } = this.options;
    const refs = await this.wrap('list refs of', () =>
      git.listServerRefs({ http: this.http, url, onAuth: this.auth, peelTags: true }),
    );
    return new Map(refs.map((r) => [r.ref, { oid: r.oid, peeled: r.peeled }]));
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
