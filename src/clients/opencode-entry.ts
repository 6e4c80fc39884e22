/**
 * The entry shape OpenCode and its fork Kilo share (key `mcp`): a stdio server is
 * `{ type: local, command: [cmd, ...args], environment }`, a remote one (streamable HTTP, with
 * SSE as its fallback) `{ type: remote, url, headers }`. Secrets are `{env:VAR}`, the config's
 * own variable substitution, which both clients apply to every string of the file.
 */
import type { SecretBinding } from '../core/resources.js';
import type { DesiredServer } from '../core/state.js';
import { entryEnv, isHttp, launchFields, secretVariable, urlField, withHeaders } from './build-entry.js';
import { scopedJsonClient } from './scoped-json-client.js';
import type { ClientAdapter, ClientEntry, ClientId, EntryContext } from './types.js';

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

/**
 * A client of this family: key `mcp` of `<projectDir>/<name>.json`, else
 * `~/.config/<name>/<name>.json` (XDG on every OS), or the `.jsonc` file the user has instead.
 */
export function opencodeFamilyClient(id: ClientId, displayName: string, name: string): ClientAdapter {
  const project = `${name}.json`;
  const user = `.config/${name}/${name}.json`;
  return scopedJsonClient(
    { id, displayName, serversKey: 'mcp' },
    { project, user, alternatives: { project: [`${project}c`], user: [`${user}c`] } },
    opencodeEntry,
  );
}
