/**
 * OpenCode: key `mcp` of `<projectDir>/opencode.json` with a project directory, else
 * `~/.config/opencode/opencode.json` (the same folder on macOS and Windows: OpenCode follows XDG
 * everywhere). Entries are OpenCode's own shape (opencode-entry.ts); secrets are `{env:VAR}`.
 */
import { commonUnsupported } from '../build-entry.js';
import { scopedPath } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { opencodeEntry, withJsoncVariant } from '../opencode-entry.js';

export const opencode = withJsoncVariant(
  createJsonClient({
    id: 'opencode',
    displayName: 'OpenCode',
    scopes: ['project', 'user'],
    serversKey: 'mcp',
    path: (target, ctx) => scopedPath(target, ctx, 'opencode.json', '.config/opencode/opencode.json'),
    unsupported: (server) => commonUnsupported(server),
    entryFor: opencodeEntry,
  }),
);
