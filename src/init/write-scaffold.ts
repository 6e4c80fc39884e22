/**
 * Writes a new config repo: refuses to overwrite anything unless forced (and then writes nothing
 * before every check passed), `git init -b main` with isomorphic-git, and a first commit when the
 * repository is new, so the result is ready to push like any repo Argo CD or Flux would track.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { git } from '../git/iso-git.js';
import type { GitAuthor } from '../git/types.js';
import type { ScaffoldFile } from './build-scaffold.js';

export interface WriteScaffoldOptions {
  force: boolean;
  /** Skip `git init` and the first commit. */
  noGit: boolean;
  author: GitAuthor;
}

export interface WriteScaffoldResult {
  dir: string;
  written: string[];
  /** Existing README.md / .gitignore left as they were. */
  kept: string[];
  /** True when `init` created the git repository. */
  createdRepo: boolean;
  /** The first commit, when one was made. */
  commit?: string;
}

export const INIT_COMMIT_MESSAGE = 'Scaffold an mcp-gitops config repo\n\nCreated by `mcp-gitops init`.\n';

function exists(dir: string, file: ScaffoldFile): boolean {
  return fs.existsSync(path.join(dir, file.path));
}

export async function writeScaffold(
  dir: string,
  all: readonly ScaffoldFile[],
  options: WriteScaffoldOptions,
): Promise<WriteScaffoldResult> {
  const root = path.resolve(dir);
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw new McpGitopsError('ERR_USAGE', `${root} exists and is not a directory`);
  }
  const kept = options.force ? [] : all.filter((f) => f.keepExisting && exists(root, f)).map((f) => f.path);
  const files = all.filter((f) => !kept.includes(f.path));
  const clash = files.filter((f) => exists(root, f)).map((f) => f.path);
  if (clash.length > 0 && !options.force) {
    throw new McpGitopsError('ERR_IO', `refusing to overwrite ${clash.length} existing file(s) in ${root}`, {
      details: clash.map((f) => `  exists: ${f}`),
      hint: 'nothing was written; pick an empty directory or pass --force to overwrite these files',
    });
  }
  const hadRepo = fs.existsSync(path.join(root, '.git'));
  try {
    fs.mkdirSync(root, { recursive: true });
    for (const file of files) {
      const abs = path.join(root, file.path);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, file.content);
    }
  } catch (err) {
    throw new McpGitopsError('ERR_IO', `cannot write the config repo in ${root}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const written = files.map((f) => f.path);
  if (options.noGit || hadRepo) return { dir: root, written, kept, createdRepo: false };
  try {
    await git.init({ fs, dir: root, defaultBranch: 'main' });
    for (const file of written) await git.add({ fs, dir: root, filepath: file, force: true });
    const commit = await git.commit({
      fs,
      dir: root,
      message: INIT_COMMIT_MESSAGE,
      author: options.author,
    });
    return { dir: root, written, kept, createdRepo: true, commit };
  } catch (err) {
    throw new McpGitopsError('ERR_GIT', `git init in ${root} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
