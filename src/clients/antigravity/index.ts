/**
 * Google Antigravity: `mcpServers` in `~/.gemini/antigravity/mcp_config.json`, the user file only
 * (every OS). Remote servers are `serverUrl` (with `headers`), stdio ones `{ command, args, env }`.
 * Antigravity expands no variable in the file, so secrets need `materializeSecrets: true`.
 */
import * as path from 'node:path';
import { createJsonClient } from '../json-client.js';
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';

export const antigravity = createJsonClient({
  id: 'antigravity',
  displayName: 'Google Antigravity',
  scopes: ['user'],
  serversKey: 'mcpServers',
  path: (_target, ctx) => path.join(ctx.home, '.gemini', 'antigravity', 'mcp_config.json'),
  unsupported: unsupportedWithoutSecretSyntax('Antigravity'),
  entryFor: (server, ctx) => plainEntry(server, ctx, { ref: (b) => b.name, urlKey: 'serverUrl' }),
});
