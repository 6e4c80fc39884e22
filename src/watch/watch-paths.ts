/**
 * What the watcher looks at in a config repo. The working tree (config edits) minus `.git`,
 * the reports folder (the reconciler writes there) and `node_modules`; and inside `.git` only what
 * moves when a commit is made or a branch is checked out: `HEAD`, `packed-refs`, `refs/heads/**`.
 */
import * as path from 'node:path';

export type PathKind = 'config' | 'git';

const GIT_ALLOWED = new Set(['.git', '.git/HEAD', '.git/packed-refs', '.git/refs', '.git/refs/heads']);

export function watchPaths(root: string, reportsDir: () => string) {
  const relative = (p: string) => path.relative(root, p).split(path.sep).join('/');
  return {
    /** For chokidar's `ignored`: true for paths the watcher should not see (nor descend into). */
    ignored(p: string): boolean {
      const rel = relative(p);
      if (rel === '' || rel.startsWith('..')) return false;
      if (rel === '.git' || rel.startsWith('.git/')) {
        return !(GIT_ALLOWED.has(rel) || rel.startsWith('.git/refs/heads/'));
      }
      const top = rel.split('/')[0];
      const reports = reportsDir().replace(/\/+$/, '');
      return top === 'node_modules' || rel === reports || rel.startsWith(`${reports}/`);
    },
    kind(p: string): PathKind {
      const rel = relative(p);
      return rel === '.git' || rel.startsWith('.git/') ? 'git' : 'config';
    },
  };
}
