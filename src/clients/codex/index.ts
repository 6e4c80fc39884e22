/**
 * Codex: `[mcp_servers.<name>]` tables in `~/.codex/config.toml` (user scope). stdio servers are
 * `command` / `args` / `env`; streamable HTTP is `url` (+ `http_headers`); Codex does not speak
 * SSE. Codex does not expand variables: a secret in reference mode is passed through from Codex's
 * own environment by name with `env_vars = ["NAME"]`, so the binding must be named like the
 * variable its `env:` ref reads. Only the server's own tables are edited in the text: the user's
 * keys, tables, comments and layout stay as they are (edit-toml.ts).
 */
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import {
  commonUnsupported,
  isHttp,
  launchFields,
  secretVariable,
  stdioFields,
  urlField,
  withEnv,
  withHeaders,
} from '../build-entry.js';
import { isRecord, toPlain } from '../json-document.js';
import { editToml, TomlDocument } from '../toml-batch.js';
import { serializeToml, tomlData as table, toml } from '../toml-document.js';
import type { ClientAdapter, ClientDocument, ClientEntry } from '../types.js';
import { replaceServerTables } from './edit-toml.js';

const KEY = 'mcp_servers';

export const codex: ClientAdapter = {
  id: 'codex',
  displayName: 'Codex',
  scopes: ['user'],
  path: (_target, ctx) => path.join(ctx.home, '.codex', 'config.toml'),
  unsupported(server, secretsMode) {
    if (server.transport === 'sse') return 'Codex speaks streamable HTTP, not SSE';
    if (secretsMode === 'reference') {
      const renamed = (server.secrets ?? []).find((b) => secretVariable(b) !== b.name);
      if (renamed) {
        return `Codex passes secrets through from its environment by name only: secret ${renamed.name} reads ${renamed.ref}; name the binding like the variable, or set materializeSecrets: true on the target`;
      }
    }
    return commonUnsupported(server);
  },
  entryFor(server, ctx) {
    const spec = server.spec;
    if (isHttp(spec)) {
      return { ...urlField(spec, ctx), ...withHeaders(spec, 'http_headers') };
    }
    if (ctx.secretsMode === 'materialize') {
      return stdioFields(server, ctx, (b) => b.name);
    }
    const plain = { ...(spec.env ?? {}) };
    const passthrough = (spec.secrets ?? []).map((b) => b.name);
    return {
      ...launchFields(spec),
      ...withEnv(plain),
      ...(passthrough.length > 0 ? { env_vars: passthrough } : {}),
    };
  },
  parse(text: string | undefined, file: string): ClientDocument {
    const doc = new TomlDocument(file, text ?? '', withoutEmptyServers);
    const servers = table(doc)[KEY];
    if (servers !== undefined && !isRecord(servers)) {
      throw new McpGitopsError('ERR_IO', `${file}: "${KEY}" is not a table`, {
        hint: 'fix the file by hand',
      });
    }
    return doc;
  },
  readEntries(doc) {
    const servers = table(doc)[KEY];
    const out: Record<string, ClientEntry> = {};
    if (isRecord(servers))
      for (const [name, entry] of Object.entries(servers))
        if (isRecord(entry)) out[name] = toPlain(entry) as ClientEntry;
    return out;
  },
  // Only the server's tables are edited in the text (comments and layout kept), checked by parsing
  // it back; when the result is not exactly the data (a layout the text edit does not handle), the
  // whole file is re-serialized: right data, comments lost. Edits of a batch are checked together
  // (toml-batch.ts).
  writeEntry(doc, name, entry) {
    const block = toml().stringify({ [KEY]: { [name]: entry } });
    const apply = (text: string, data: Record<string, unknown>) => {
      const servers = isRecord(data[KEY]) ? data[KEY] : {};
      servers[name] = entry;
      data[KEY] = servers;
      return replaceServerTables(text, name, block);
    };
    editToml(doc, { server: name, apply }, withoutEmptyServers);
  },
  removeEntry(doc, name) {
    const apply = (text: string, data: Record<string, unknown>) => {
      const servers = data[KEY];
      if (!isRecord(servers) || !(name in servers)) return undefined;
      delete servers[name];
      return replaceServerTables(text, name, undefined);
    };
    editToml(doc, { server: name, apply }, withoutEmptyServers);
  },
  serialize: serializeToml,
};

/** An empty `mcp_servers` table means what no table means; it is never written as a bare header. */
function withoutEmptyServers(data: Record<string, unknown>): Record<string, unknown> {
  const servers = data[KEY];
  if (!isRecord(servers) || Object.keys(servers).length > 0) return data;
  const { [KEY]: _empty, ...rest } = data;
  return rest;
}
