/**
 * Kimi CLI (Moonshot AI): `mcpServers` in `~/.kimi/mcp.json`, the user file only. Entries are
 * `{ command, args, env }` / `{ url, transport: http | sse, headers }` (the FastMCP config shape
 * Kimi CLI loads). It expands no variable in the file, so secrets need `materializeSecrets: true`.
 */
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

const transportField = { key: 'transport', values: { 'streamable-http': 'http', sse: 'sse' } } as const;

export const kimi = scopedJsonClient(
  { id: 'kimi', displayName: 'Kimi CLI', serversKey: 'mcpServers' },
  { user: '.kimi/mcp.json' },
  (server, ctx) => plainEntry(server, ctx, { ref: (b) => b.name, transportField }),
  unsupportedWithoutSecretSyntax('Kimi CLI'),
);
