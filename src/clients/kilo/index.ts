/**
 * Kilo Code CLI, a fork of OpenCode with the same schema: key `mcp` of `<projectDir>/kilo.json`
 * with a project directory, else `~/.config/kilo/kilo.json` (XDG on every OS). Secrets are
 * `{env:VAR}`. Kilo rewrites its files on start (adds `$schema`); our entry is kept.
 */
import { commonUnsupported } from '../build-entry.js';
import { scopedPath } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { opencodeEntry, withJsoncVariant } from '../opencode-entry.js';

export const kilo = withJsoncVariant(
  createJsonClient({
    id: 'kilo',
    displayName: 'Kilo Code CLI',
    scopes: ['project', 'user'],
    serversKey: 'mcp',
    path: (target, ctx) => scopedPath(target, ctx, 'kilo.json', '.config/kilo/kilo.json'),
    unsupported: (server) => commonUnsupported(server),
    entryFor: opencodeEntry,
  }),
);
