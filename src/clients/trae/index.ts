/**
 * Trae (ByteDance's VS Code fork): `mcpServers` in `<projectDir>/.trae/mcp.json` with a project
 * directory (read once "Enable Project MCP" is on), else the `mcp.json` in Trae's `User` folder
 * (`~/.config/Trae/User`, `~/Library/Application Support/Trae/User`, `%APPDATA%\Trae\User`).
 * stdio is `command` / `args` / `env`, remote `url` (+ `headers`). Trae documents no variable
 * expansion (its docs say to put real values in `env`), so secrets need `materializeSecrets: true`.
 * Sources: https://www.volcengine.com/docs/86677/2137601 (Trae docs: project MCP),
 * https://github.com/pathintegral-institute/mcpm.sh/issues/92 (the user file seen in `Trae/User/`;
 * a Unity plugin puts it in `Trae/` directly — the observed file won).
 */
import { createEditorClient } from '../cline/editor-client.js';
import { projectOrAppFile } from '../cline/editor-paths.js';

export const trae = createEditorClient({
  id: 'trae',
  displayName: 'Trae',
  scopes: ['project', 'user'],
  path: projectOrAppFile('.trae/mcp.json', 'Trae', 'User', 'mcp.json'),
});
