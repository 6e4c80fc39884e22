/**
 * Google Antigravity: `mcpServers` in `~/.gemini/antigravity/mcp_config.json`, the user file only
 * (every OS). Remote servers are `serverUrl` (with `headers`), stdio ones `{ command, args, env }`.
 * Antigravity expands no variable in the file, so secrets need `materializeSecrets: true`.
 */
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

export const antigravity = scopedJsonClient(
  { id: 'antigravity', displayName: 'Google Antigravity', serversKey: 'mcpServers' },
  { user: '.gemini/antigravity/mcp_config.json' },
  (server, ctx) => plainEntry(server, ctx, { ref: (b) => b.name, urlKey: 'serverUrl' }),
  unsupportedWithoutSecretSyntax('Antigravity'),
);
