/**
 * Cline CLI (`cline`, 3.x): `mcpServers` in `~/.cline/data/settings/cline_mcp_settings.json`,
 * each entry's connection in a nested `transport` object: `{ type: "stdio", command, args, env }`
 * or `{ type: "streamableHttp", url, headers }` — the shapes `cline mcp add NAME -- cmd args` and
 * `--transport http URL` write (verified by running cline@3.0.65, /work/shared/CLIENT-CLIS.md).
 * SSE and variable expansion were not seen in the CLI: SSE servers are refused, and a server with
 * secrets needs `materializeSecrets: true`. Cline CLI also writes runtime state (`disabled`,
 * `oauth`) into the entry; a reconcile puts our entry back as declared.
 */
import * as path from 'node:path';
import { type EditorClientSpec, editorEntry, editorUnsupported } from '../cline/editor-client.js';
import { createJsonClient } from '../json-client.js';

const shape: EditorClientSpec = {
  id: 'cline-cli',
  displayName: 'Cline CLI',
  scopes: ['user'],
  path: (_target, ctx) => path.join(ctx.home, '.cline', 'data', 'settings', 'cline_mcp_settings.json'),
  types: { stdio: 'stdio', 'streamable-http': 'streamableHttp', sse: null },
  refusals: { sse: 'Cline CLI registers stdio and streamable HTTP servers, not SSE' },
};

export const clineCli = createJsonClient({
  id: shape.id,
  displayName: shape.displayName,
  scopes: shape.scopes,
  path: shape.path,
  serversKey: 'mcpServers',
  unsupported: (server, mode) => editorUnsupported(shape, server, mode),
  entryFor: (server, ctx) => ({ transport: editorEntry(shape, server, ctx) }),
});
