/**
 * Gemini CLI: `mcpServers` in `<projectDir>/.gemini/settings.json` with a project directory, else
 * `~/.gemini/settings.json` (many other settings, often commented, all left alone). Streamable
 * HTTP is `httpUrl`, SSE is `url`; secrets are `${VAR}`, which Gemini CLI expands in `env` values.
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

export const geminiCli = createJsonClient({
  id: 'gemini-cli',
  displayName: 'Gemini CLI',
  scopes: ['project', 'user'],
  serversKey: 'mcpServers',
  path: (target, ctx) => scopedPath(target, ctx, '.gemini/settings.json', '.gemini/settings.json'),
  unsupported: (server) => commonUnsupported(server),
  entryFor(server, ctx) {
    const spec = server.spec;
    if (isHttp(spec)) {
      return { ...urlField(spec, ctx, spec.transport === 'sse' ? 'url' : 'httpUrl'), ...withHeaders(spec) };
    }
    const ref = (b: SecretBinding) => `\${${secretVariable(b)}}`;
    return stdioFields(server, ctx, ref);
  },
});
