/**
 * JetBrains Junie: `mcpServers` in `<projectDir>/.junie/mcp/mcp.json` with a project directory,
 * else `~/.junie/mcp/mcp.json`. Entries have no `type`: stdio is `command` / `args` / `env`, a
 * remote server (Junie CLI) `url` + `headers`; the IDE plugin runs stdio servers only. Junie
 * documents no variable expansion, so secrets need `materializeSecrets: true`.
 * Sources: https://www.jetbrains.com/help/junie/model-context-protocol-mcp.html ,
 * https://junie.jetbrains.com/docs/junie-cli-mcp-configuration.html
 */

import { scopedPath } from '../client-path.js';
import { createEditorClient } from '../cline/editor-client.js';

export const junie = createEditorClient({
  id: 'junie',
  displayName: 'Junie',
  scopes: ['project', 'user'],
  path: (target, ctx) => scopedPath(target, ctx, '.junie/mcp/mcp.json', '.junie/mcp/mcp.json'),
});
