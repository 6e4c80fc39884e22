/**
 * Amp: the flat key `"amp.mcpServers"` (one key with a dot in its name, not a path) of
 * `<projectDir>/.amp/settings.json` (workspace; Amp asks the user to approve its servers) with a
 * project directory, else `~/.config/amp/settings.json` (also on macOS and Windows). Entries are
 * `{ command, args, env }` / `{ url, headers }`; secrets are `${VAR}`.
 */
import { commonUnsupported, secretVariable } from '../build-entry.js';
import { scopedPath } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { plainEntry } from '../plain-entry.js';

export const amp = createJsonClient({
  id: 'amp',
  displayName: 'Amp',
  scopes: ['project', 'user'],
  serversKey: 'amp.mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.amp/settings.json', '.config/amp/settings.json'),
  unsupported: (server) => commonUnsupported(server),
  entryFor: (server, ctx) => plainEntry(server, ctx, { ref: (b) => `\${${secretVariable(b)}}` }),
});
