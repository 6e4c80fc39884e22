/**
 * Where git looks for hooks and where the config repo sits in the work tree. Asks the git CLI
 * (it is what runs hooks, and it knows `core.hooksPath` from every config level, worktrees and
 * submodules); without the CLI, falls back to isomorphic-git and the repository's own config.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { git } from '../git/iso-git.js';

export interface HookLocation {
  /** Top level of the git work tree. */
  top: string;
  /** Absolute hooks directory (honours core.hooksPath). */
  hooksDir: string;
  /** The config repo (the folder holding mcp-gitops.yaml) relative to `top`, '' when equal. */
  repo: string;
}

function gitCli(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000 }, (err, stdout) =>
      resolve(err ? undefined : stdout.trim()),
    );
  });
}

async function viaIsomorphicGit(dir: string): Promise<{ top: string; hooksDir: string }> {
  const top = await git.findRoot({ fs, filepath: dir });
  const configured = await git.getConfig({ fs, dir: top, path: 'core.hooksPath' });
  const hooksDir = typeof configured === 'string' && configured ? configured : path.join('.git', 'hooks');
  return { top, hooksDir: path.resolve(top, hooksDir.replace(/^~(?=\/)/, process.env.HOME ?? '~')) };
}

/** The nearest folder from `dir` up to `top` that holds mcp-gitops.yaml; `top` if none does. */
function configRoot(dir: string, top: string): string {
  for (let d = dir; d.startsWith(top); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'mcp-gitops.yaml'))) return d;
    if (d === top) break;
  }
  return top;
}

export async function locateHooks(dir: string): Promise<HookLocation> {
  const start = fs.realpathSync(path.resolve(dir));
  let top = await gitCli(start, ['rev-parse', '--show-toplevel']);
  let hooksDir: string | undefined;
  if (top) {
    const rel = await gitCli(start, ['rev-parse', '--git-path', 'hooks']);
    if (rel) hooksDir = path.resolve(start, rel);
  }
  if (!top || !hooksDir) {
    try {
      ({ top, hooksDir } = await viaIsomorphicGit(start));
    } catch {
      throw new McpGitopsError('ERR_NOT_A_REPO', `${start} is not inside a git work tree`, {
        hint: 'run `git init` (or `mcp-gitops init`) first, or pass --repo DIR',
      });
    }
  }
  const realTop = fs.realpathSync(top);
  return {
    top: realTop,
    hooksDir,
    repo: path.relative(realTop, configRoot(start, realTop)).split(path.sep).join('/'),
  };
}
