/**
 * Windsurf (Cascade): `mcpServers` in `~/.codeium/windsurf/mcp_config.json` (user scope only; the
 * same folder under `%USERPROFILE%` on Windows). A remote server is `serverUrl` (Windsurf tells
 * streamable HTTP from SSE itself; a Cursor-style `url` does not connect), and Windsurf
 * interpolates `${env:NAME}` in its config values, so secrets are written that way.
 * Source: https://docs.windsurf.com/windsurf/cascade/mcp
 */
import * as path from 'node:path';
import { createEditorClient, envColonRef } from '../cline/editor-client.js';

export const windsurf = createEditorClient({
  id: 'windsurf',
  displayName: 'Windsurf',
  scopes: ['user'],
  path: (_target, ctx) => path.join(ctx.home, '.codeium', 'windsurf', 'mcp_config.json'),
  urlKey: 'serverUrl',
  secretRef: envColonRef,
});
