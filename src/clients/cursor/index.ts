/**
 * Cursor: `<projectDir>/.cursor/mcp.json` with a project directory, else `~/.cursor/mcp.json`.
 * Cursor interpolates `${env:NAME}` in `command`, `args`, `env`, `url` and `headers`, so secrets
 * are written as `${env:NAME}`. Remote servers are a `url` (Cursor tells HTTP from SSE itself).
 */
import type { SecretBinding } from '../../core/resources.js';
import {
  commonUnsupported,
  isHttp,
  secretVariable,
  stdioFields,
  urlField,
  withHeaders,
} from '../build-entry.js';
import { scopedPath } from '../client-path.js';
import { createJsonClient } from '../json-client.js';

export const cursor = createJsonClient({
  id: 'cursor',
  displayName: 'Cursor',
  scopes: ['project', 'user'],
  serversKey: 'mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.cursor/mcp.json', '.cursor/mcp.json'),
  unsupported: (server) => commonUnsupported(server),
  entryFor(server, ctx) {
    const spec = server.spec;
    if (isHttp(spec)) {
      return { ...urlField(spec, ctx), ...withHeaders(spec) };
    }
    const ref = (b: SecretBinding) => `\${env:${secretVariable(b)}}`;
    return stdioFields(server, ctx, ref);
  },
});
