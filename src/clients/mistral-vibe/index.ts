/**
 * Mistral Vibe: `[[mcp_servers]]` array tables in `<projectDir>/.vibe/config.toml` with a project
 * directory, else `~/.vibe/config.toml`. Each entry names itself (`name`) and its `transport`:
 * `stdio` with `command` / `args` / `env`, or `streamable-http` with `url` (+ `headers`); Vibe does
 * not speak SSE. Vibe does not expand variables in `env`, so a server with secrets needs the
 * target's `materializeSecrets: true`. Only the server's own element is edited in the text: the
 * user's keys, other servers, comments and layout stay (toml-array-tables.ts).
 */
import { McpGitopsError } from '../../core/errors.js';
import { commonUnsupported, hasSecrets, isHttp, stdioFields, urlField, withHeaders } from '../build-entry.js';
import { scopedPath } from '../client-path.js';
import { isRecord, toPlain } from '../json-document.js';
import { replaceArrayTable } from '../toml-array-tables.js';
import { editToml, TomlDocument } from '../toml-batch.js';
import { serializeToml, toml, tomlData } from '../toml-document.js';
import type { ClientAdapter, ClientDocument, ClientEntry } from '../types.js';

const KEY = 'mcp_servers';

export const mistralVibe: ClientAdapter = {
  id: 'mistral-vibe',
  displayName: 'Mistral Vibe',
  scopes: ['project', 'user'],
  path: (target, ctx) => scopedPath(target, ctx, '.vibe/config.toml', '.vibe/config.toml'),
  unsupported(server, secretsMode) {
    if (server.transport === 'sse') return 'Mistral Vibe speaks stdio or streamable HTTP, not SSE';
    if (hasSecrets(server) && secretsMode === 'reference')
      return 'Mistral Vibe does not expand variable references in its config file: set materializeSecrets: true on the target to write the values (mode 0600)';
    return commonUnsupported(server);
  },
  entryFor(server, ctx) {
    const spec = server.spec;
    if (isHttp(spec)) return { transport: 'streamable-http', ...urlField(spec, ctx), ...withHeaders(spec) };
    // Reference mode with secrets is refused by unsupported(): only values reach this file.
    return { transport: 'stdio', ...stdioFields(server, ctx, (b) => b.name) };
  },
  parse(text: string | undefined, file: string): ClientDocument {
    const doc = new TomlDocument(file, text ?? '');
    const servers = tomlData(doc)[KEY];
    if (servers !== undefined && !Array.isArray(servers)) {
      throw new McpGitopsError('ERR_IO', `${file}: "${KEY}" is not an array of tables`, {
        hint: 'fix the file by hand',
      });
    }
    return doc;
  },
  readEntries(doc) {
    const out: Record<string, ClientEntry> = {};
    for (const item of servers(doc))
      if (isRecord(item) && typeof item.name === 'string') {
        const { name, ...entry } = toPlain(item) as ClientEntry;
        out[name as string] = entry;
      }
    return out;
  },
  // The text edit is checked by parsing it back (toml-document.ts); edits of a batch are checked
  // together (toml-batch.ts).
  writeEntry(doc, name, entry) {
    const item = { name, ...entry };
    const block = toml().stringify({ [KEY]: [item] });
    const apply = (text: string, data: Record<string, unknown>) => {
      const list = listOf(data);
      const index = indexOf(list, name);
      if (index >= 0) list[index] = item;
      else list.push(item);
      data[KEY] = list;
      return replaceArrayTable(text, KEY, index >= 0 ? index : undefined, block);
    };
    editToml(doc, { server: name, apply });
  },
  removeEntry(doc, name) {
    const apply = (text: string, data: Record<string, unknown>) => {
      const list = listOf(data);
      const index = indexOf(list, name);
      if (index < 0) return undefined;
      list.splice(index, 1);
      if (list.length > 0) data[KEY] = list;
      else delete data[KEY];
      return replaceArrayTable(text, KEY, index);
    };
    editToml(doc, { server: name, apply });
  },
  serialize: serializeToml,
};

function servers(doc: ClientDocument): unknown[] {
  return listOf(tomlData(doc));
}

function listOf(data: Record<string, unknown>): unknown[] {
  const list = data[KEY];
  return Array.isArray(list) ? list : [];
}

const indexOf = (list: unknown[], name: string) => list.findIndex((s) => isRecord(s) && s.name === name);
