/**
 * Where a work tree's refs live, found the way isomorphic-git finds its git folder (`.git` as a
 * folder, or a `gitdir:` file as worktrees and submodules have) and, as git does for a linked
 * worktree, its common folder (`commondir`): the worktree's own `HEAD` is in its git folder, the
 * branches, tags and `packed-refs` it shares with the main work tree are in the common one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NotHandledError } from './not-handled.js';

export interface GitDirs {
  /** The work tree's git folder: `.git`, or a linked worktree's `.git/worktrees/<name>`. */
  gitDir: string;
  /** The folder shared by every worktree of the repository (the git folder itself when not linked). */
  commonDir: string;
}

/** The git folders of the work tree at `dir`; a `dir` without a `.git` is not handled here. */
export function gitDirs(dir: string): GitDirs {
  const dotGit = path.join(dir, '.git');
  const stat = fs.statSync(dotGit, { throwIfNoEntry: false });
  let gitDir: string;
  if (stat?.isDirectory()) gitDir = dotGit;
  else if (stat?.isFile()) {
    const text = fs.readFileSync(dotGit, 'utf8');
    if (!text.startsWith('gitdir: ')) throw new NotHandledError(`${dotGit} is not a gitdir: file`);
    const target = text.trimEnd().slice('gitdir: '.length);
    gitDir = path.isAbsolute(target) ? target : path.join(dir, target);
  } else throw new NotHandledError(`${dir} has no .git`);
  let commonDir = gitDir;
  try {
    commonDir = path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { gitDir, commonDir };
}

/**
 * Where git keeps the loose ref `name`: the worktree's own (`HEAD`, one-level names such as
 * `ORIG_HEAD`, `refs/bisect/`, `refs/worktree/`, `refs/rewritten/`) in its git folder, every other
 * one in the common folder. `name` must already be a valid ref name (see ref-name.ts).
 */
export function refFolder(dirs: GitDirs, name: string): string {
  const perWorktree = !name.startsWith('refs/') || /^refs\/(bisect|worktree|rewritten)\//.test(name);
  return perWorktree ? dirs.gitDir : dirs.commonDir;
}

/**
 * The work tree that contains `start`: the nearest folder, `start` or above, holding a `.git`
 * (folder or file), as isomorphic-git's findRoot walks up; undefined when none does.
 */
export function findWorkTree(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
