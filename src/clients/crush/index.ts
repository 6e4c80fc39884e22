/**
 * Crush: key `mcp` of `<projectDir>/crush.json` (or an existing `.crush.json`) with a project
 * directory, else `~/.config/crush/crush.json` (Windows: `%LOCALAPPDATA%\crush\crush.json`).
 * Entries carry `type: stdio | http | sse`; secrets are `$VAR`, which Crush expands shell-style.
 */
import { secretVariable } from '../build-entry.js';
import { plainEntry } from '../plain-entry.js';
import { scopedJsonClient } from '../scoped-json-client.js';

const types = { stdio: 'stdio', 'streamable-http': 'http', sse: 'sse' } as const;

export const crush = scopedJsonClient(
  { id: 'crush', displayName: 'Crush', serversKey: 'mcp' },
  {
    project: 'crush.json',
    user: '.config/crush/crush.json',
    win32: 'AppData/Local/crush/crush.json',
    alternatives: { project: ['.crush.json'] },
  },
  (server, ctx) => plainEntry(server, ctx, { ref: (b) => `$${secretVariable(b)}`, types }),
);
