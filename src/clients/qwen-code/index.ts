/**
 * Qwen Code, a fork of Gemini CLI with its schema: `mcpServers` in `<projectDir>/.qwen/settings.json`
 * with a project directory, else `~/.qwen/settings.json`. Entries are Gemini CLI's (`httpUrl` /
 * `url`, secrets `${VAR}`), so its entry code is reused as is.
 */
import { scopedPath } from '../client-path.js';
import { geminiCli } from '../gemini-cli/index.js';
import { createJsonClient } from '../json-client.js';

export const qwenCode = createJsonClient({
  id: 'qwen-code',
  displayName: 'Qwen Code',
  scopes: ['project', 'user'],
  serversKey: 'mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.qwen/settings.json', '.qwen/settings.json'),
  unsupported: geminiCli.unsupported,
  entryFor: geminiCli.entryFor,
});
