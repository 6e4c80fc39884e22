/**
 * A JSON-map client declared in a few lines: its names and servers key, its files (project file
 * relative to the target's project directory, user file relative to the home, another on Windows
 * where it differs, and the older or alternative names it also reads), and its entry shape.
 * Secrets are referenced unless `unsupported` says otherwise.
 */
import * as path from 'node:path';
import { commonUnsupported } from './build-entry.js';
import { projectDir } from './client-path.js';
import { createJsonClient } from './json-client.js';
import type { ClientAdapter } from './types.js';

export interface ClientFiles {
  /** Relative to `projectDir`; absent = the client has a user file only. */
  project?: string;
  /** Relative to the home directory (every OS unless `win32` is given). */
  user: string;
  /** Relative to the home directory on Windows, e.g. `AppData/Roaming/…`. */
  win32?: string;
  /** Files the client also reads, in order of preference (see `candidatePaths`). */
  alternatives?: { project?: string[]; user?: string[] };
}

export function scopedJsonClient(
  names: Pick<ClientAdapter, 'id' | 'displayName'> & { serversKey: string },
  files: ClientFiles,
  entryFor: ClientAdapter['entryFor'],
  unsupported: ClientAdapter['unsupported'] = (server) => commonUnsupported(server),
): ClientAdapter {
  const locate = (
    target: Parameters<ClientAdapter['path']>[0],
    ctx: Parameters<ClientAdapter['path']>[1],
  ) => {
    const dir = projectDir(target, ctx);
    if (dir && files.project) return { base: dir, rel: files.project, others: files.alternatives?.project };
    const rel = ctx.platform === 'win32' && files.win32 ? files.win32 : files.user;
    return { base: ctx.home, rel, others: files.alternatives?.user };
  };
  const adapter = createJsonClient({
    ...names,
    scopes: files.project ? ['project', 'user'] : ['user'],
    path: (target, ctx) => {
      const { base, rel } = locate(target, ctx);
      return path.join(base, rel);
    },
    unsupported,
    entryFor,
  });
  if (!files.alternatives) return adapter;
  return {
    ...adapter,
    candidatePaths(target, ctx) {
      const { base, rel, others = [] } = locate(target, ctx);
      return [rel, ...others].map((f) => path.join(base, f));
    },
  };
}
