/**
 * Continue: `~/.continue/config.yaml` (user scope), `mcpServers:` a YAML list of named entries —
 * `{name, command, args, env}` for stdio, `{name, type: streamable-http | sse, url}` for HTTP, with
 * headers under `requestOptions.headers`. Secrets are `${{ secrets.NAME }}`, which Continue
 * resolves from its `.env` files (`~/.continue/.env`) or its hub. The user's comments and other
 * blocks are kept (yaml-client.ts).
 */
import * as path from 'node:path';
import type { SecretBinding } from '../../core/resources.js';
import { commonUnsupported, endpointUrl, isHttp, secretVariable, stdioFields } from '../build-entry.js';
import { createYamlClient } from '../yaml-client.js';

export const continueClient = createYamlClient({
  id: 'continue',
  displayName: 'Continue',
  scopes: ['user'],
  serversKey: 'mcpServers',
  layout: 'list',
  path: (_target, ctx) => path.join(ctx.home, '.continue', 'config.yaml'),
  unsupported: (server) => commonUnsupported(server),
  entryFor(server, ctx) {
    const spec = server.spec;
    if (isHttp(spec)) {
      const url = endpointUrl(spec, ctx);
      const headers = spec.remote?.headers;
      return {
        type: spec.transport,
        ...(url ? { url } : {}),
        ...(headers && Object.keys(headers).length > 0
          ? { requestOptions: { headers: { ...headers } } }
          : {}),
      };
    }
    const ref = (b: SecretBinding) => `\${{ secrets.${secretVariable(b)} }}`;
    return stdioFields(server, ctx, ref);
  },
});
