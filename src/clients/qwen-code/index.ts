/**
 * Qwen Code, a fork of Gemini CLI with its schema: `mcpServers` in `<projectDir>/.qwen/settings.json`
 * with a project directory, else `~/.qwen/settings.json`. Entries are Gemini CLI's (`httpUrl` /
 * `url`, secrets `${VAR}`), so its entry code is reused as is.
 */
import { geminiCli } from '../gemini-cli/index.js';
import { scopedJsonClient } from '../scoped-json-client.js';

export const qwenCode = scopedJsonClient(
  { id: 'qwen-code', displayName: 'Qwen Code', serversKey: 'mcpServers' },
  { project: '.qwen/settings.json', user: '.qwen/settings.json' },
  geminiCli.entryFor,
  geminiCli.unsupported,
);
