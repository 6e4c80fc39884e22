/**
 * Roo Code: `mcpServers` in `<projectDir>/.roo/mcp.json` with a project directory (Roo gives the
 * project file precedence), else the global `mcp_settings.json` in the extension's storage,
 * `<VS Code user folder>/globalStorage/rooveterinaryinc.roo-cline/settings/`. Remote entries carry
 * `type: streamable-http` or `sse` with `url` / `headers`; Roo expands `${env:NAME}` in the
 * config, so secrets are written that way.
 * Source: https://docs.roocode.com/features/mcp/using-mcp-in-roo
 */
import { createEditorClient, envColonRef } from '../cline/editor-client.js';
import { projectOrExtensionFile } from '../cline/editor-paths.js';
import type { ClientId } from '../types.js';

/** A client in Roo's format, which its fork Kilo Code kept: same entries, its own files. */
export function rooFamily(id: ClientId, displayName: string, projectFile: string, extension: string) {
  return createEditorClient({
    id,
    displayName,
    scopes: ['project', 'user'],
    path: projectOrExtensionFile(projectFile, extension, 'mcp_settings.json'),
    types: { 'streamable-http': 'streamable-http', sse: 'sse' },
    secretRef: envColonRef,
  });
}

export const rooCode = rooFamily('roo-code', 'Roo Code', '.roo/mcp.json', 'rooveterinaryinc.roo-cline');
