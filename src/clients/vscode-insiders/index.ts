/**
 * VS Code Insiders: VS Code's own format (`servers` + `inputs`, `type` on every entry, secrets as
 * `${input:…}` prompts kept in its secret storage — see ../vscode), in other places: the
 * workspace's `<projectDir>/.vscode/mcp.json` with a project directory, else the user profile's
 * `mcp.json` in the `Code - Insiders/User` folder (`~/.config`, `~/Library/Application Support`
 * or `%APPDATA%` by platform). Source: https://code.visualstudio.com/docs/copilot/customization/mcp-servers
 */
import { projectOrAppFile } from '../cline/editor-paths.js';
import type { ClientAdapter } from '../types.js';
import { vscode } from '../vscode/index.js';

export const vscodeInsiders: ClientAdapter = {
  ...vscode,
  id: 'vscode-insiders',
  detect: undefined, // not VS Code's: the default, its own user folder
  displayName: 'VS Code Insiders',
  scopes: ['project', 'user'],
  path: projectOrAppFile('.vscode/mcp.json', 'Code - Insiders', 'User', 'mcp.json'),
};
