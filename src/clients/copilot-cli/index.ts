/**
 * GitHub Copilot CLI: `mcpServers` in `~/.copilot/mcp-config.json`, or with a project directory
 * the workspace file `<projectDir>/.github/mcp.json` (read once the folder is trusted; not
 * `.mcp.json`, which is Claude Code's). Entries carry `type: local | http | sse` and
 * `tools: ["*"]`; secrets are `${VAR}`, which Copilot CLI expands in `env` (since 1.0.10).
 */
import { bracedRef, plainEntry } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

const types = { stdio: 'local', 'streamable-http': 'http', sse: 'sse' } as const;

export const copilotCli = scopedJsonClient(
  { id: 'copilot-cli', displayName: 'GitHub Copilot CLI', serversKey: 'mcpServers' },
  { project: '.github/mcp.json', user: '.copilot/mcp-config.json' },
  (server, ctx) => plainEntry(server, ctx, { ref: bracedRef, types, fixed: { tools: ['*'] } }),
);
