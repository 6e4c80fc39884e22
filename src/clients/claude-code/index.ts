/**
 * Claude Code. Scope follows the target: with `projectDir` the entries go to the project's shared
 * `.mcp.json`; without it to the user scope, the top-level `mcpServers` of `~/.claude.json` (the
 * file Claude Code also keeps its own state in — only our entries are touched). Secrets become
 * `${VAR}`, which Claude Code expands from its environment when it starts the server.
 */
import * as path from 'node:path';
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
import type { ClientAdapter } from '../types.js';

const base = createJsonClient({
  id: 'claude-code',
  displayName: 'Claude Code',
  scopes: ['project', 'user'],
  serversKey: 'mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.mcp.json', '.claude.json'),
  unsupported: (server) => commonUnsupported(server),
  entryFor(server, ctx) {
    const spec = server.spec;
    if (isHttp(spec)) {
      return {
        type: spec.transport === 'sse' ? 'sse' : 'http',
        ...urlField(spec, ctx),
        ...withHeaders(spec),
      };
    }
    const ref = (b: SecretBinding) => `\${${secretVariable(b)}}`;
    return { type: 'stdio', ...stdioFields(server, ctx, ref) };
  },
});

/** Installed: Claude Code keeps `~/.claude.json` and the `~/.claude` folder. */
export const claudeCode: ClientAdapter = {
  ...base,
  detect: (ctx) => [path.join(ctx.home, '.claude.json'), path.join(ctx.home, '.claude')],
};
