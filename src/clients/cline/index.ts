/**
 * Cline (the VS Code extension): `mcpServers` in `cline_mcp_settings.json` in the extension's
 * global storage, `<VS Code user folder>/globalStorage/saoudrizwan.claude-dev/settings/` (user
 * scope only). stdio entries are `command` / `args` / `env`; remote ones `url` (+ `headers`) with
 * `type: streamableHttp` or `sse` (without a type Cline takes a URL for SSE). Cline expands
 * `${env:NAME}` in the file since cline/cline#8079, so secrets are written that way.
 * Sources: https://docs.cline.bot/mcp/configuring-mcp-servers , https://github.com/cline/cline/pull/8079
 */
import { createEditorClient, envColonRef } from './editor-client.js';
import { projectOrExtensionFile } from './editor-paths.js';

export const cline = createEditorClient({
  id: 'cline',
  displayName: 'Cline',
  scopes: ['user'],
  path: projectOrExtensionFile(undefined, 'saoudrizwan.claude-dev', 'cline_mcp_settings.json'),
  types: { 'streamable-http': 'streamableHttp', sse: 'sse' },
  secretRef: envColonRef,
});
