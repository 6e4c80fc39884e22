/**
 * Where the local cache checkout of a remote lives: one folder per remote URL under the state
 * dir, named after the URL (readable) plus a hash (unique). Credentials never appear in it.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';

/** `--state-dir` ?? `MCP_GITOPS_STATE_DIR` ?? `$XDG_STATE_HOME/mcp-gitops` ?? `<home>/.local/state/mcp-gitops`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCP_GITOPS_STATE_DIR) return path.resolve(env.MCP_GITOPS_STATE_DIR);
  if (env.XDG_STATE_HOME) return path.join(env.XDG_STATE_HOME, 'mcp-gitops');
  const home = env.MCP_GITOPS_HOME ?? os.homedir();
  return path.join(home, '.local', 'state', 'mcp-gitops');
}

export function cacheDirFor(stateDir: string, url: string): string {
  const u = new URL(url);
  const readable = `${u.host}${u.pathname}`
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  const hash = createHash('sha256')
    .update(`${u.protocol}//${u.host}${u.pathname}`)
    .digest('hex')
    .slice(0, 10);
  return path.join(stateDir, 'remotes', `${readable}-${hash}`);
}
