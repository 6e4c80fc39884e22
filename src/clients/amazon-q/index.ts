/**
 * Amazon Q Developer (IDE plugin and Q CLI): the `mcp.json` files both read, `<projectDir>/.amazonq/
 * mcp.json` with a project directory, else `~/.aws/amazonq/mcp.json` (AWS calls them legacy next
 * to the agent files, and reads them while `useLegacyMcpJson` is on, the default). stdio entries
 * are `command` / `args` / `env`; remote ones `type: http` with `url` / `headers`; no SSE. Variable
 * expansion in this file is still an open request (aws/amazon-q-developer-cli#2241, #2746), so a
 * server with secrets needs `materializeSecrets: true`.
 * Source: https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/mcp-ide.html
 */

import { scopedPath } from '../client-path.js';
import { createEditorClient } from '../cline/editor-client.js';

export const amazonQ = createEditorClient({
  id: 'amazon-q',
  displayName: 'Amazon Q Developer',
  scopes: ['project', 'user'],
  path: (target, ctx) => scopedPath(target, ctx, '.amazonq/mcp.json', '.aws/amazonq/mcp.json'),
  types: { 'streamable-http': 'http', sse: null },
  refusals: { sse: 'Amazon Q Developer connects to remote servers over streamable HTTP, not SSE' },
});
