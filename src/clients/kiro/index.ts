/**
 * Kiro (IDE and CLI share the file): `mcpServers` in `<projectDir>/.kiro/settings/mcp.json` with a
 * project directory, else `~/.kiro/settings/mcp.json`. stdio is `command` / `args` / `env`, a
 * remote server `url` (+ `headers`) without a `type`. Kiro expands `${NAME}` in `env` and
 * `headers` (the IDE asks the user once to approve each variable), so secrets are `${NAME}`.
 * Source: https://kiro.dev/docs/mcp/configuration
 */

import { scopedPath } from '../client-path.js';
import { createEditorClient, dollarBraceRef } from '../cline/editor-client.js';

export const kiro = createEditorClient({
  id: 'kiro',
  displayName: 'Kiro',
  scopes: ['project', 'user'],
  path: (target, ctx) => scopedPath(target, ctx, '.kiro/settings/mcp.json', '.kiro/settings/mcp.json'),
  secretRef: dollarBraceRef,
});
