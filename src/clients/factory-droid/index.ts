/**
 * Factory Droid: `mcpServers` in `<projectDir>/.factory/mcp.json` with a project directory, else
 * `~/.factory/mcp.json`. Entries carry `type: stdio | http | sse`; secrets are `${VAR}`, which
 * Droid expands from its environment.
 */
import { commonUnsupported, secretVariable } from '../build-entry.js';
import { scopedPath } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { plainEntry } from '../plain-entry.js';

export const factoryDroid = createJsonClient({
  id: 'factory-droid',
  displayName: 'Factory Droid',
  scopes: ['project', 'user'],
  serversKey: 'mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.factory/mcp.json', '.factory/mcp.json'),
  unsupported: (server) => commonUnsupported(server),
  entryFor: (server, ctx) =>
    plainEntry(server, ctx, {
      ref: (b) => `\${${secretVariable(b)}}`,
      types: { stdio: 'stdio', 'streamable-http': 'http', sse: 'sse' },
    }),
});
