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
import { serializeToml, tomlData as table, toml, verifiedToml } from '../toml-document.js';
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
    const doc = { file, text: text ?? '' };
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
  writeEntry(doc, name, entry) {
    const data = table(doc);
    const servers = isRecord(data[KEY]) ? data[KEY] : {};
    servers[name] = entry;
    data[KEY] = servers;
    doc.text = edited(doc.text, name, toml().stringify({ [KEY]: { [name]: entry } }), data);
  },
  removeEntry(doc, name) {
    const data = table(doc);
    const servers = data[KEY];
    if (!isRecord(servers) || !(name in servers)) return;
    delete servers[name];
    doc.text = edited(doc.text, name, undefined, data);
  },
  serialize: serializeToml,
};

/**
 * The file with only the server's tables edited in its text (comments and layout kept), checked
 * by parsing it back; when the result is not exactly `expected` (a layout the text edit does not
 * handle), the whole file re-serialized: right data, comments lost.
 */
function edited(
  text: string,
  name: string,
  block: string | undefined,
  expected: Record<string, unknown>,
): string {
  return verifiedToml(
    replaceServerTables(text, name, block),
    withoutEmptyServers(expected),
    withoutEmptyServers,
  );
}

/** An empty `mcp_servers` table means what no table means; it is never written as a bare header. */
function withoutEmptyServers(data: Record<string, unknown>): Record<string, unknown> {
  const servers = data[KEY];
  if (!isRecord(servers) || Object.keys(servers).length > 0) return data;
  const { [KEY]: _empty, ...rest } = data;
  return rest;
}
