/**
 * Crush: key `mcp` of `<projectDir>/crush.json` with a project directory, else
 * `~/.config/crush/crush.json` (Windows: `%LOCALAPPDATA%\crush\crush.json`). Entries carry
 * `type: stdio | http | sse`; secrets are `$VAR`, which Crush expands shell-style in its values.
 */
import * as path from 'node:path';
import { commonUnsupported, secretVariable } from '../build-entry.js';
import { projectDir } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { plainEntry } from '../plain-entry.js';
import type { ClientAdapter } from '../types.js';

const crushFile = createJsonClient({
  id: 'crush',
  displayName: 'Crush',
  scopes: ['project', 'user'],
  serversKey: 'mcp',
  path(target, ctx) {
    const dir = projectDir(target, ctx);
    if (dir) return path.join(dir, 'crush.json');
    return ctx.platform === 'win32'
      ? path.join(ctx.home, 'AppData', 'Local', 'crush', 'crush.json')
      : path.join(ctx.home, '.config', 'crush', 'crush.json');
  },
  unsupported: (server) => commonUnsupported(server),
  entryFor: (server, ctx) =>
    plainEntry(server, ctx, {
      ref: (b) => `$${secretVariable(b)}`,
      types: { stdio: 'stdio', 'streamable-http': 'http', sse: 'sse' },
    }),
});

/** A project may keep its file hidden as `.crush.json`: the one that exists, else `crush.json`. */
export const crush: ClientAdapter = {
  ...crushFile,
  candidatePaths(target, ctx) {
    const file = crushFile.path(target, ctx);
    const dir = projectDir(target, ctx);
    return dir ? [file, path.join(dir, '.crush.json')] : [file];
  },
};
