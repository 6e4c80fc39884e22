/**
 * GitHub Copilot CLI: `mcpServers` in `~/.copilot/mcp-config.json`, or with a project directory
 * the workspace file `<projectDir>/.github/mcp.json` (read once the folder is trusted; not
 * `.mcp.json`, which is Claude Code's). Entries carry `type: local | http | sse` and
 * `tools: ["*"]`; secrets are `${VAR}`, which Copilot CLI expands in `env` (since 1.0.10).
 */
import { commonUnsupported, secretVariable } from '../build-entry.js';
import { scopedPath } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { plainEntry } from '../plain-entry.js';

export const copilotCli = createJsonClient({
  id: 'copilot-cli',
  displayName: 'GitHub Copilot CLI',
  scopes: ['project', 'user'],
  serversKey: 'mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.github/mcp.json', '.copilot/mcp-config.json'),
  unsupported: (server) => commonUnsupported(server),
  entryFor: (server, ctx) =>
    plainEntry(server, ctx, {
      ref: (b) => `\${${secretVariable(b)}}`,
      types: { stdio: 'local', 'streamable-http': 'http', sse: 'sse' },
      fixed: { tools: ['*'] },
    }),
});
