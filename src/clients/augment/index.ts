/**
 * Augment's CLI, Auggie: `mcpServers` in `<projectDir>/.augment/settings.json` with a project
 * directory, else `~/.augment/settings.json`. Entries are `{ command, args, env }` /
 * `{ type: http | sse, url, headers }`. Auggie documents no variable expansion in the file, so
 * secrets need `materializeSecrets: true`.
 */
import { scopedPath } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';

export const augment = createJsonClient({
  id: 'augment',
  displayName: 'Augment (Auggie CLI)',
  scopes: ['project', 'user'],
  serversKey: 'mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.augment/settings.json', '.augment/settings.json'),
  unsupported: unsupportedWithoutSecretSyntax('Auggie'),
  entryFor: (server, ctx) =>
    plainEntry(server, ctx, { ref: (b) => b.name, types: { 'streamable-http': 'http', sse: 'sse' } }),
});
