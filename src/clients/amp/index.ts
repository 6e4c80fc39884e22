/**
 * Amp: the flat key `"amp.mcpServers"` (one key with a dot in its name, not a path) of
 * `<projectDir>/.amp/settings.json` (workspace; Amp asks the user to approve its servers) with a
 * project directory, else `~/.config/amp/settings.json` (also on macOS and Windows). Entries are
 * `{ command, args, env }` / `{ url, headers }`; secrets are `${VAR}`.
 */
import { bracedRef, plainEntry } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

export const amp = scopedJsonClient(
  { id: 'amp', displayName: 'Amp', serversKey: 'amp.mcpServers' },
  { project: '.amp/settings.json', user: '.config/amp/settings.json' },
  (server, ctx) => plainEntry(server, ctx, { ref: bracedRef }),
);
