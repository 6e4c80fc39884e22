/**
 * Factory Droid: `mcpServers` in `<projectDir>/.factory/mcp.json` with a project directory, else
 * `~/.factory/mcp.json`. Entries carry `type: stdio | http | sse`; secrets are `${VAR}`, which
 * Droid expands from its environment.
 */
import { bracedRef, plainEntry } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

export const factoryDroid = scopedJsonClient(
  { id: 'factory-droid', displayName: 'Factory Droid', serversKey: 'mcpServers' },
  { project: '.factory/mcp.json', user: '.factory/mcp.json' },
  (server, ctx) =>
    plainEntry(server, ctx, {
      ref: bracedRef,
      types: { stdio: 'stdio', 'streamable-http': 'http', sse: 'sse' },
    }),
);
