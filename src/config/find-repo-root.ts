/** The git work tree containing a directory: the nearest ancestor with a `.git` entry. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { McpGitopsError } from '../core/errors.js';

export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new McpGitopsError('ERR_NOT_A_REPO', `${resolve(start)} is not inside a git work tree`, {
    hint: 'run mcp-gitops inside the config repo, pass --repo DIR, or create one with `mcp-gitops init`',
  });
}

/** `--repo DIR` as given, checked; without it, the work tree containing the current directory. */
export function resolveRepoOption(repo: string | undefined, cwd: string = process.cwd()): string {
  if (repo === undefined) return findRepoRoot(cwd);
  const dir = resolve(cwd, repo);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) {
    throw new McpGitopsError('ERR_NOT_A_REPO', `--repo ${repo}: no such directory`, {
      hint: 'pass the config repo work tree, e.g. --repo ./platform-mcp',
    });
  }
  return dir;
}
