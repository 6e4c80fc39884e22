/**
 * Claude Desktop: `claude_desktop_config.json` in the app's config directory (`~/.config/Claude`
 * on Linux, `~/Library/Application Support/Claude` on macOS). Its file registers stdio servers
 * only (remote servers are added in the app as connectors) and it does not expand variables, so a
 * server with secrets needs the target's `materializeSecrets: true` to be registered here.
 */
import * as path from 'node:path';
import { commonUnsupported, hasSecrets, isHttp, stdioFields } from '../build-entry.js';
import { createJsonClient } from '../json-client.js';

export const claudeDesktop = createJsonClient({
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  scopes: ['user'],
  serversKey: 'mcpServers',
  path(_target, ctx) {
    const dir =
      ctx.platform === 'darwin'
        ? path.join(ctx.home, 'Library', 'Application Support', 'Claude')
        : ctx.platform === 'win32'
          ? path.join(ctx.home, 'AppData', 'Roaming', 'Claude')
          : path.join(ctx.home, '.config', 'Claude');
    return path.join(dir, 'claude_desktop_config.json');
  },
  unsupported(server, secretsMode) {
    if (isHttp(server))
      return 'Claude Desktop registers only stdio servers in its config file (add remote servers as connectors in the app)';
    if (hasSecrets(server) && secretsMode === 'reference') {
      return 'Claude Desktop does not expand variable references in its config file: set materializeSecrets: true on the target to write the values (mode 0600)';
    }
    return commonUnsupported(server);
  },
  entryFor(server, ctx) {
    // Reference mode with secrets is refused by unsupported(): only values reach this file.
    return stdioFields(server, ctx, (b) => `\${${b.name}}`);
  },
});
