/**
 * Kilo Code, the VS Code extension in its Roo-derived format (4.x): `mcpServers` in
 * `<projectDir>/.kilocode/mcp.json` with a project directory, else the global `mcp_settings.json`
 * in `<VS Code user folder>/globalStorage/kilocode.kilo-code/settings/`. Entries as Roo Code's
 * (`type: streamable-http` / `sse`, `${env:NAME}` secrets). The Kilo CLI and the newer extension
 * builds read OpenCode-shaped `kilo.json[c]` instead: that is the `kilo` client, not this one.
 * Sources: https://kilo.ai/docs/features/mcp/using-mcp-in-kilo-code ,
 * https://kilo.ai/docs/features/mcp/using-mcp-in-cli
 */
import * as path from 'node:path';
import { projectDir } from '../client-path.js';
import { createEditorClient, envColonRef } from '../cline/editor-client.js';
import { extensionSettingsFile } from '../cline/editor-paths.js';

export const kiloCode = createEditorClient({
  id: 'kilo-code',
  displayName: 'Kilo Code',
  scopes: ['project', 'user'],
  path(target, ctx) {
    const dir = projectDir(target, ctx);
    return dir
      ? path.join(dir, '.kilocode', 'mcp.json')
      : extensionSettingsFile(ctx, 'kilocode.kilo-code', 'mcp_settings.json');
  },
  types: { 'streamable-http': 'streamable-http', sse: 'sse' },
  secretRef: envColonRef,
});
