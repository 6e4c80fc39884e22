/** A fresh git repository in a temp dir, made with the git CLI, removed by `cleanup()`. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(file: string, content: string): void;
  commitAll(message: string): string;
  cleanup(): void;
}

export function createTempRepo(prefix = 'mcp-gitops-repo-'): TempRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'test',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 'test',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    write(file, content) {
      const abs = path.join(dir, file);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    },
    commitAll(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Copy a directory tree into a fresh git repo and commit it. */
export function repoFromDir(source: string, prefix?: string): TempRepo {
  const repo = createTempRepo(prefix);
  fs.cpSync(source, repo.dir, { recursive: true });
  repo.commitAll('initial config');
  return repo;
}
