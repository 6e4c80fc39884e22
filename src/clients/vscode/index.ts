/**
 * VS Code: `<projectDir>/.vscode/mcp.json` (project scope only here, so the target needs
 * `projectDir`), JSONC with `servers` and `inputs`. Entries carry `type` (`stdio`, `http`, `sse`).
 * Secrets become `${input:mcp-gitops-<server>-<VAR>}` with a matching `promptString` input
 * (`password: true`): VS Code prompts once and keeps the value in its own secret storage.
 */
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import { commonUnsupported, isHttp, stdioFields, urlField, withHeaders } from '../build-entry.js';
import { projectDir } from '../client-path.js';
import { createJsonClient } from '../json-client.js';
import type { ClientAdapter } from '../types.js';
import { inputId, syncInputs } from './sync-inputs.js';

const base = createJsonClient({
  id: 'vscode',
  displayName: 'VS Code',
  scopes: ['project'],
  serversKey: 'servers',
  path(target, ctx) {
    const dir = projectDir(target, ctx);
    if (!dir) {
      throw new McpGitopsError('ERR_PROVIDER', 'the vscode client needs the target to set projectDir', {
        hint: 'add projectDir: <path of the workspace> to the target',
      });
    }
    return path.join(dir, '.vscode', 'mcp.json');
  },
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
    return { type: 'stdio', ...stdioFields(server, ctx, (b) => `\${input:${inputId(server.name, b.name)}}`) };
  },
});

export const vscode: ClientAdapter = {
  ...base,
  // Installed: VS Code's user folder (its files are project-scoped, so there is no user file).
  detect: (ctx) => [
    ctx.platform === 'darwin'
      ? path.join(ctx.home, 'Library', 'Application Support', 'Code')
      : ctx.platform === 'win32'
        ? path.join(ctx.home, 'AppData', 'Roaming', 'Code')
        : path.join(ctx.home, '.config', 'Code'),
  ],
  writeEntry(doc, name, entry) {
    base.writeEntry(doc, name, entry);
    syncInputs(doc, name, entry);
  },
  removeEntry(doc, name) {
    base.removeEntry(doc, name);
    syncInputs(doc, name, undefined);
  },
};
