/**
 * Zed: `context_servers` in `<projectDir>/.zed/settings.json` with a project directory, else
 * `~/.config/zed/settings.json` (also on macOS; Windows: `%APPDATA%\Zed\settings.json`), a JSONC
 * file full of the user's other settings. Entries are `{ source: custom, command, args, env }` /
 * `{ source: custom, url, headers }`. Zed expands no variable in them, so secrets need
 * `materializeSecrets: true`.
 */
import * as path from 'node:path';
import { projectDir } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import { plainEntry, unsupportedWithoutSecretSyntax } from '../plain-entry.js';

export const zed = createJsonClient({
  id: 'zed',
  displayName: 'Zed',
  scopes: ['project', 'user'],
  serversKey: 'context_servers',
  path(target, ctx) {
    const dir = projectDir(target, ctx);
    if (dir) return path.join(dir, '.zed', 'settings.json');
    return ctx.platform === 'win32'
      ? path.join(ctx.home, 'AppData', 'Roaming', 'Zed', 'settings.json')
      : path.join(ctx.home, '.config', 'zed', 'settings.json');
  },
  unsupported: unsupportedWithoutSecretSyntax('Zed'),
  // Reference mode with secrets is refused: only values reach this file.
  entryFor: (server, ctx) => plainEntry(server, ctx, { ref: (b) => b.name, fixed: { source: 'custom' } }),
});
