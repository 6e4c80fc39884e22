/**
 * Augment's CLI, Auggie: `mcpServers` in `<projectDir>/.augment/settings.json` with a project
 * directory, else `~/.augment/settings.json`. Entries are `{ command, args, env }` /
 * `{ type: http | sse, url, headers }`. Auggie documents no variable expansion in the file, so
 * secrets need `materializeSecrets: true`.
 */
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

export const augment = scopedJsonClient(
  { id: 'augment', displayName: 'Augment (Auggie CLI)', serversKey: 'mcpServers' },
  { project: '.augment/settings.json', user: '.augment/settings.json' },
  (server, ctx) =>
    plainEntry(server, ctx, { ref: (b) => b.name, types: { 'streamable-http': 'http', sse: 'sse' } }),
  unsupportedWithoutSecretSyntax('Auggie'),
);
