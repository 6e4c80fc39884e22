/**
 * Kimi CLI (Moonshot AI): `mcpServers` in `~/.kimi/mcp.json`, the user file only. Entries are
 * `{ command, args, env }` / `{ url, transport: http | sse, headers }` (the FastMCP config shape
 * Kimi CLI loads). It expands no variable in the file, so secrets need `materializeSecrets: true`.
 */
import * as path from 'node:path';
import { createJsonClient } from '../json-client.js';
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';

export const kimi = createJsonClient({
  id: 'kimi',
  displayName: 'Kimi CLI',
  scopes: ['user'],
  serversKey: 'mcpServers',
  path: (_target, ctx) => path.join(ctx.home, '.kimi', 'mcp.json'),
  unsupported: unsupportedWithoutSecretSyntax('Kimi CLI'),
  entryFor: (server, ctx) =>
    plainEntry(server, ctx, {
      ref: (b) => b.name,
      transportField: { key: 'transport', values: { 'streamable-http': 'http', sse: 'sse' } },
    }),
});
