/**
 * The git command the benchmarks use to build their config repositories: a fixed author and
 * committer so commits need no user config, and git's own error text when it fails.
 */
import { spawnSync } from 'node:child_process';

export function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-C', dir, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'b@x',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}
