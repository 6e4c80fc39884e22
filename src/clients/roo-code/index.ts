/**
 * Roo Code: `mcpServers` in `<projectDir>/.roo/mcp.json` with a project directory (Roo gives the
 * project file precedence), else the global `mcp_settings.json` in the extension's storage,
 * `<VS Code user folder>/globalStorage/rooveterinaryinc.roo-cline/settings/`. Remote entries carry
 * `type: streamable-http` or `sse` with `url` / `headers`; Roo expands `${env:NAME}` in the
 * config, so secrets are written that way.
 * Source: https://docs.roocode.com/features/mcp/using-mcp-in-roo
 */
import * as path from 'node:path';
import { projectDir } from '../client-path.js';
import { createEditorClient, envColonRef } from '../cline/editor-client.js';
import { extensionSettingsFile } from '../cline/editor-paths.js';

export const rooCode = createEditorClient({
  id: 'roo-code',
  displayName: 'Roo Code',
  scopes: ['project', 'user'],
  path(target, ctx) {
    const dir = projectDir(target, ctx);
    return dir
      ? path.join(dir, '.roo', 'mcp.json')
      : extensionSettingsFile(ctx, 'rooveterinaryinc.roo-cline', 'mcp_settings.json');
  },
  types: { 'streamable-http': 'streamable-http', sse: 'sse' },
  secretRef: envColonRef,
});
