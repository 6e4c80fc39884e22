/**
 * Kilo Code CLI, a fork of OpenCode with the same schema: key `mcp` of `<projectDir>/kilo.json`
 * with a project directory, else `~/.config/kilo/kilo.json` (XDG on every OS); an existing
 * `kilo.jsonc` instead. Secrets are `{env:VAR}`. Kilo rewrites its files on start (adds
 * `$schema`); our entry is kept.
 */
import { opencodeFamilyClient } from '../opencode-entry.js';

export const kilo = opencodeFamilyClient('kilo', 'Kilo Code CLI', 'kilo');
