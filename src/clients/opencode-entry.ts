/**
 * The entry shape OpenCode and its fork Kilo share (key `mcp`): a stdio server is
 * `{ type: local, command: [cmd, ...args], environment }`, a remote one (streamable HTTP, with
 * SSE as its fallback) `{ type: remote, url, headers }`. Secrets are `{env:VAR}`, the config's
 * own variable substitution, which both clients apply to every string of the file.
 */
import type { SecretBinding } from '../core/resources.js';
import type { DesiredServer } from '../core/state.js';
import { entryEnv, isHttp, launchFields, secretVariable, urlField, withHeaders } from './build-entry.js';
import type { ClientAdapter, ClientEntry, EntryContext } from './types.js';

export function opencodeEntry(server: DesiredServer, ctx: EntryContext): ClientEntry {
  const spec = server.spec;
  if (isHttp(spec)) return { type: 'remote', ...urlField(spec, ctx), ...withHeaders(spec) };
  const { command, args = [] } = launchFields(spec);
  const env = entryEnv(server, ctx, (b: SecretBinding) => `{env:${secretVariable(b)}}`);
  return {
    type: 'local',
    command: command ? [command, ...args] : [],
    ...(Object.keys(env).length > 0 ? { environment: env } : {}),
  };
}

/** Both clients read `<name>.json` or `<name>.jsonc`: the one that exists, else `.json`. */
export function withJsoncVariant(adapter: ClientAdapter): ClientAdapter {
  return {
    ...adapter,
    candidatePaths(target, ctx) {
      const file = adapter.path(target, ctx);
      return [file, `${file}c`];
    },
  };
}
