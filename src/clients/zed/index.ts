/**
 * Zed: `context_servers` in `<projectDir>/.zed/settings.json` with a project directory, else
 * `~/.config/zed/settings.json` (also on macOS; Windows: `%APPDATA%\Zed\settings.json`), a JSONC
 * file full of the user's other settings. Entries are `{ source: custom, command, args, env }` /
 * `{ source: custom, url, headers }`. Zed expands no variable in them, so secrets need
 * `materializeSecrets: true` (reference mode with secrets never reaches entryFor).
 */
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

export const zed = scopedJsonClient(
  { id: 'zed', displayName: 'Zed', serversKey: 'context_servers' },
  {
    project: '.zed/settings.json',
    user: '.config/zed/settings.json',
    win32: 'AppData/Roaming/Zed/settings.json',
  },
  (server, ctx) => plainEntry(server, ctx, { ref: (b) => b.name, fixed: { source: 'custom' } }),
  unsupportedWithoutSecretSyntax('Zed'),
);
