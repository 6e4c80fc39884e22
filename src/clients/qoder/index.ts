/**
 * Qoder (the IDE): `mcpServers` in `SharedClientCache/mcp.json` in Qoder's app folder
 * (`~/.config/Qoder`, `~/Library/Application Support/Qoder`, `%APPDATA%\Qoder`), the file its
 * MCP settings page opens (user scope only). stdio is `command` / `args` / `env`, a remote server
 * `url` (+ `headers`). Qoder documents no variable expansion (its docs have the real key put in
 * `env`), so secrets need `materializeSecrets: true`.
 * Source: https://docs.qoder.com/user-guide/chat/model-context-protocol (format); the path as
 * several MCP installers resolve it (e.g. the `Qoder/SharedClientCache/mcp.json` candidates).
 */
import { createEditorClient } from '../cline/editor-client.js';
import { projectOrAppFile } from '../cline/editor-paths.js';

export const qoder = createEditorClient({
  id: 'qoder',
  displayName: 'Qoder',
  scopes: ['user'],
  path: projectOrAppFile(undefined, 'Qoder', 'SharedClientCache', 'mcp.json'),
});
