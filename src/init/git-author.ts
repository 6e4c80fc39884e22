/** Who authors the first commit: the user's git identity when it can be found, else mcp-gitops. */
import { execFile } from 'node:child_process';
import type { GitAuthor } from '../git/types.js';

function gitConfig(key: string, cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--get', key], { cwd, timeout: 5000 }, (err, stdout) => {
      const value = stdout?.trim();
      resolve(err || !value ? undefined : value);
    });
  });
}

export async function initAuthor(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<GitAuthor> {
  const name = env.GIT_AUTHOR_NAME || (await gitConfig('user.name', cwd));
  const email = env.GIT_AUTHOR_EMAIL || (await gitConfig('user.email', cwd));
  return { name: name ?? 'mcp-gitops', email: email ?? 'mcp-gitops@localhost' };
}
