/**
 * The one interface over git that the engine uses (git is the record: reports, commits, tags).
 * Backed by isomorphic-git; nothing here scans the whole work tree (no statusMatrix).
 */
export interface GitAuthor {
  name: string;
  email: string;
}

export interface FileWrite {
  /** Repo-relative, POSIX separators. */
  path: string;
  content: string;
  /**
   * What the file holds at `commit` (undefined: no such file), when the caller read it there:
   * while that commit is still HEAD, writeAndStage compares with this instead of reading it again.
   */
  atHead?: { commit: string; text: string | undefined };
}

export interface TagInfo {
  name: string;
  /** The commit the tag points at. */
  commit: string;
  /** Annotated tag message (undefined for a lightweight tag). */
  message?: string;
}

export interface GitRepo {
  /** Absolute path of the work tree. */
  readonly dir: string;
  /** Commit oid of HEAD, or undefined in a repository without commits. */
  head(): Promise<string | undefined>;
  /** Short name of the checked-out branch, or undefined when detached. */
  currentBranch(): Promise<string | undefined>;
  /** A branch, tag, full or abbreviated oid → commit oid (annotated tags are peeled). */
  resolveRevision(rev: string): Promise<string>;
  /** Commits from `rev` back (newest first), at most `depth` (Infinity: all). */
  log(rev: string, depth: number): Promise<{ oid: string; message: string }[]>;
  /** A file's content at a revision, or undefined if it is not there. */
  readFileAt(rev: string, path: string): Promise<string | undefined>;
  /** Repo-relative paths of every file at a revision, optionally under a folder. */
  listFilesAt(rev: string, under?: string): Promise<string[]>;
  /**
   * Write files into the work tree and stage them. A file whose content equals HEAD's and the
   * work tree's is left alone. Returns the paths that now differ from HEAD (what a commit would carry).
   */
  writeAndStage(files: readonly FileWrite[]): Promise<string[]>;
  /** Delete files from the work tree and the index (`git rm`). Returns the paths that were tracked. */
  removeAndStage(paths: readonly string[]): Promise<string[]>;
  /**
   * Commit exactly what `writeAndStage` / `removeAndStage` changed against HEAD, on top of HEAD's
   * tree: anything else the user staged stays staged and out of the commit. The message must
   * already be redacted by the caller's one redactor.
   */
  commit(message: string, author: GitAuthor): Promise<string>;
  listTags(): Promise<string[]>;
  readTag(name: string): Promise<TagInfo | undefined>;
  /** Annotated tag on `commit` (default HEAD). */
  createTag(name: string, message: string, tagger: GitAuthor, commit?: string): Promise<void>;
  /** Configured remotes. */
  listRemotes(): Promise<{ remote: string; url: string }[]>;
  /**
   * Push a branch and tags to a remote over HTTP(S). A tag the remote already has at another
   * commit is not pushed and makes this throw, naming it (after the other refs were tried).
   */
  push(remote: string, refs: readonly string[]): Promise<void>;
}
