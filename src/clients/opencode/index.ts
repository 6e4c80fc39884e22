/**
 * OpenCode: key `mcp` of `<projectDir>/opencode.json` with a project directory, else
 * `~/.config/opencode/opencode.json` (the same folder on macOS and Windows: OpenCode follows XDG
 * everywhere); an existing `opencode.jsonc` instead. Entries are OpenCode's own shape
 * (opencode-entry.ts); secrets are `{env:VAR}`.
 */
import { opencodeFamilyClient } from '../opencode-entry.js';

export const opencode = opencodeFamilyClient('opencode', 'OpenCode', 'opencode');
