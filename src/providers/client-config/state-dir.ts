/**
 * mcp-gitops's own folder on a target's host (`~/.local/state/mcp-gitops`, on the remote for an
 * ssh host): the client-config inventory and the backups of the files it replaced live there, so
 * nothing of mcp-gitops's bookkeeping lands beside a user's config files.
 */
import type { Host } from '../../hosts/types.js';

export const STATE_DIR = '~/.local/state/mcp-gitops';

/** `<state folder>/<...parts>` on the host, absolute. */
export async function statePath(host: Host, ...parts: string[]): Promise<string> {
  return host.expand([STATE_DIR, ...parts].join('/'));
}
