/**
 * `GitRepo` over isomorphic-git. Reads go through object lookups of single paths (no whole-tree
 * status), and the ones every plan and reconcile makes through the native readers first
 * (native-reads.ts), so those commands never load isomorphic-git; writes stage exactly the files
 * the engine wrote.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { git } from './iso-git.js';
import { NativeReads, readRef } from './native-reads.js';
import { ObjectStore } from './objects/object-store.js';
import { PathNotFoundError, readPathAt } from './objects/read-path.js';
import { findWorkTree } from './refs/git-dirs.js';
import { treeWith } from './tree-with.js';
import type { FileWrite, GitAuthor, GitRepo, TagInfo } from './types.js';

const OID = /^[0-9a-f]{4,40}$/i;
/** A file read back from a commit (a report, a document being edited): far past any real one. */
const MAX_BLOB_BYTES = 256 * 1024 * 1024;

/**
 * Open the git work tree that contains `dir` (a sub-folder is fine). A `dir` that is missing or a
 * file says so, instead of the "not inside a git work tree" that a real folder outside one gets.
 */
export async function openRepo(dir: string): Promise<GitRepo> {
  const start = path.resolve(dir);
  const stat = await fs.promises.stat(start).catch(() => undefined);
  if (!stat) {
    throw new McpGitopsError('ERR_NOT_A_REPO', `${start} does not exist`, {
      hint: "pass the config repo's folder with --repo DIR, or create one with `mcp-gitops init DIR`",
    });
  }
  if (!stat.isDirectory()) {
    throw new McpGitopsError('ERR_NOT_A_REPO', `${start} is not a directory`, {
      hint: '--repo takes the folder of the config repo (the one holding mcp-gitops.yaml), not a file in it',
    });
  }
  const root = findWorkTree(start);
  if (root === undefined) {
    throw new McpGitopsError('ERR_NOT_A_REPO', `${start} is not inside a git work tree`, {
      hint:
        'run mcp-gitops inside the config repo or pass --repo DIR; to make this folder one, run `git init` ' +
        'there and commit its YAML, or scaffold a new config repo with `mcp-gitops init DIR`',
    });
  }
  return new IsoGitRepo(root);
}

class IsoGitRepo implements GitRepo {
  private readonly cache = {};
  private readonly reads: NativeReads;
  /** What the next commit carries: path → blob oid, or null for a removal. */
  private readonly pending = new Map<string, string | null>();

  constructor(readonly dir: string) {
    this.reads = new NativeReads(dir, this.cache);
  }

  head(): Promise<string | undefined> {
    return readRef(this.dir, 'HEAD');
  }

  currentBranch(): Promise<string | undefined> {
    return this.reads.currentBranch();
  }

  async resolveRevision(rev: string): Promise<string> {
    let oid = await readRef(this.dir, rev);
    if (!oid && OID.test(rev))
      oid = await git.expandOid({ fs, dir: this.dir, oid: rev, cache: this.cache }).catch(() => undefined);
    if (!oid) {
      throw new McpGitopsError('ERR_GIT', `unknown revision "${rev}" in ${this.dir}`, {
        hint: 'give a branch, a tag (e.g. dev/v1.0.0) or a commit id; `git -C REPO tag` lists the tags',
      });
    }
    return this.reads.peel(oid);
  }

  async log(rev: string, depth: number): Promise<{ oid: string; message: string }[]> {
    return this.reads.log(await this.resolveRevision(rev), depth);
  }

  async readFileAt(rev: string, filepath: string): Promise<string | undefined> {
    const oid = await this.resolveRevision(rev);
    return this.readBlobAt(oid, filepath);
  }

  /** Through the bounded object store on Node's zlib, opened for this read and closed after it. */
  private async readBlobAt(commit: string, filepath: string): Promise<string | undefined> {
    let store: ObjectStore | undefined;
    try {
      store = ObjectStore.open(this.dir);
      return readPathAt(store, commit, filepath, MAX_BLOB_BYTES).toString('utf8');
    } catch (err) {
      if (err instanceof PathNotFoundError) return undefined;
      throw gitError(`cannot read ${filepath} at ${commit.slice(0, 12)}`, err);
    } finally {
      store?.close();
    }
  }

  async listFilesAt(rev: string, under?: string): Promise<string[]> {
    const oid = await this.resolveRevision(rev);
    const files = await this.reads.listFiles(oid, under);
    if (!under) return files;
    const prefix = under.endsWith('/') ? under : `${under}/`;
    return files.filter((f) => f.startsWith(prefix));
  }

  async writeAndStage(files: readonly FileWrite[]): Promise<string[]> {
    const head = await this.head();
    const changed: string[] = [];
    for (const file of files) {
      const abs = path.join(this.dir, file.path);
      const current = await fs.promises.readFile(abs, 'utf8').catch(() => undefined);
      const atHead =
        head === undefined
          ? undefined
          : file.atHead?.commit === head
            ? file.atHead.text
            : await this.readBlobAt(head, file.path);
      if (current !== file.content) {
        await fs.promises.mkdir(path.dirname(abs), { recursive: true });
        await fs.promises.writeFile(abs, file.content);
      }
      if (current !== file.content || atHead !== file.content) {
        await git.add({ fs, dir: this.dir, filepath: file.path, cache: this.cache });
      }
      if (atHead !== file.content) {
        changed.push(file.path);
        this.pending.set(
          file.path,
          await git.writeBlob({ fs, dir: this.dir, blob: Buffer.from(file.content) }),
        );
      } else {
        this.pending.delete(file.path);
      }
    }
    return changed;
  }

  async removeAndStage(paths: readonly string[]): Promise<string[]> {
    const head = await this.head();
    const removed: string[] = [];
    for (const p of paths) {
      const tracked = head ? (await this.readBlobAt(head, p)) !== undefined : false;
      await fs.promises.rm(path.join(this.dir, p), { force: true });
      await git.remove({ fs, dir: this.dir, filepath: p, cache: this.cache });
      if (tracked) {
        removed.push(p);
        this.pending.set(p, null);
      }
    }
    return removed;
  }

  async commit(message: string, author: GitAuthor): Promise<string> {
    try {
      const head = await this.head();
      const base = head
        ? (await git.readCommit({ fs, dir: this.dir, oid: head, cache: this.cache })).commit.tree
        : undefined;
      const tree = await treeWith(this.dir, base, this.pending, this.cache);
      const oid = await git.commit({ fs, dir: this.dir, message, author, tree, cache: this.cache });
      this.pending.clear();
      return oid;
    } catch (err) {
      throw gitError('cannot commit the reports', err);
    }
  }

  async listTags(): Promise<string[]> {
    return (await this.reads.listTags()).sort();
  }

  async readTag(name: string): Promise<TagInfo | undefined> {
    const oid = await readRef(this.dir, `refs/tags/${name}`);
    if (oid === undefined) return undefined;
    const commit = await this.reads.peel(oid);
    if (commit === oid) return { name, commit }; // a lightweight tag
    const { tag } = await git.readTag({ fs, dir: this.dir, oid, cache: this.cache });
    return { name, commit, message: tag.message };
  }

  async createTag(name: string, message: string, tagger: GitAuthor, commit?: string): Promise<void> {
    const object = commit ?? (await this.head());
    if (!object) throw new McpGitopsError('ERR_GIT', `cannot tag ${name}: the repository has no commits`);
    try {
      await git.annotatedTag({ fs, dir: this.dir, ref: name, message, tagger, object, cache: this.cache });
    } catch (err) {
      throw gitError(`cannot create tag ${name}`, err, 'a tag of that name may exist already: `git tag -l`');
    }
  }

  async listRemotes(): Promise<{ remote: string; url: string }[]> {
    return git.listRemotes({ fs, dir: this.dir });
  }

  /**
   * Push each ref as it is. A branch that cannot be pushed stops there (its tags would point at
   * commits the remote lacks); a tag the remote already has at another commit is an error naming
   * it, never counted as pushed, after the other refs were tried.
   */
  async push(remote: string, refs: readonly string[]): Promise<void> {
    const { gitHttpClient } = await import('./http-client.js');
    const http = gitHttpClient();
    const pushed: string[] = [];
    const failed: { ref: string; message: string; hint?: string; cause: unknown }[] = [];
    for (const ref of refs) {
      try {
        const result = await git.push({ fs, http, dir: this.dir, remote, ref, cache: this.cache });
        if (!result.ok) throw new Error(result.error ?? 'rejected');
        pushed.push(ref);
      } catch (err) {
        const taken = ref.startsWith('refs/tags/') ? await this.onRemote(http, remote, ref) : undefined;
        if (taken?.same) continue; // the remote has this tag on the same commit: it is there
        if (taken) {
          const name = ref.slice('refs/tags/'.length);
          failed.push({
            ref,
            message: `tag ${name} exists on ${remote} at another commit (${taken.commit.slice(0, 12)}): it was not pushed`,
            hint: `another release took that version. The commit is pushed; to tag it there, delete the local tag (git tag -d ${name}), fetch the remote's tags (git fetch ${remote} --tags) and tag the commit with the next free version (serve renames such a tag by itself)`,
            cause: err,
          });
          continue;
        }
        const error = gitError(
          `cannot push ${ref} to ${remote}`,
          err,
          'isomorphic-git pushes over http(s) only; check the remote URL and access',
        );
        if (ref.startsWith('refs/heads/')) throw error;
        failed.push({ ref, message: error.message, hint: error.hint, cause: err });
      }
    }
    if (failed.length === 0) return;
    const done = pushed.length > 0 ? ` (pushed: ${pushed.join(', ')})` : '';
    throw new McpGitopsError('ERR_GIT', `${failed.map((f) => f.message).join('; ')}${done}`, {
      hint: failed.map((f) => f.hint).find(Boolean),
      cause: failed[0]?.cause,
    });
  }

  /** Where the remote's tag `ref` points, and whether that is the commit ours points at. */
  private async onRemote(
    http: Parameters<typeof git.listServerRefs>[0]['http'],
    remote: string,
    ref: string,
  ): Promise<{ commit: string; same: boolean } | undefined> {
    try {
      const url = (await git.getConfig({ fs, dir: this.dir, path: `remote.${remote}.url` })) as string;
      const theirs = (await git.listServerRefs({ http, url, prefix: ref, peelTags: true })).find(
        (r) => r.ref === ref,
      );
      if (!theirs) return undefined;
      const commit = theirs.peeled ?? theirs.oid;
      return { commit, same: commit === (await this.resolveRevision(ref)) };
    } catch {
      return undefined;
    }
  }
}

function gitError(message: string, err: unknown, hint?: string): McpGitopsError {
  const detail = err instanceof Error ? err.message : String(err);
  return new McpGitopsError('ERR_GIT', `${message}: ${detail}`, { hint, cause: err });
}
