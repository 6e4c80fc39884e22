/**
 * LM Studio (0.3.17+): `mcpServers` in `~/.lmstudio/mcp.json` (user scope only; the app's
 * "Edit mcp.json" opens it), in Cursor's notation: stdio `command` / `args` / `env`, remote `url`
 * (+ `headers`). LM Studio documents no variable expansion (its example has the token pasted into
 * `headers`), so secrets need `materializeSecrets: true`.
 * Source: https://lmstudio.ai/docs/app/mcp
 */
import * as path from 'node:path';
import { createEditorClient } from '../cline/editor-client.js';

export const lmStudio = createEditorClient({
  id: 'lm-studio',
  displayName: 'LM Studio',
  scopes: ['user'],
  path: (_target, ctx) => path.join(ctx.home, '.lmstudio', 'mcp.json'),
});
