/**
 * The shape most MCP clients share: a JSON file whose one top-level key maps server names to
 * entries. An adapter of that shape only says where its file is and how its entries look; every
 * such file is read as JSONC and edited in place (see json-document.ts).
 */
import { parseJsonDocument, readJsonMap, removeJsonEntry, writeJsonEntry } from './json-document.js';
import type { ClientAdapter, ClientDocument, ClientEntry } from './types.js';

export interface JsonClientSpec
  extends Pick<ClientAdapter, 'id' | 'displayName' | 'scopes' | 'path' | 'unsupported' | 'entryFor'> {
  /** The top-level key holding the servers, e.g. `mcpServers`. */
  serversKey: string;
}

export function createJsonClient(spec: JsonClientSpec): ClientAdapter {
  return {
    id: spec.id,
    displayName: spec.displayName,
    scopes: spec.scopes,
    path: spec.path,
    unsupported: spec.unsupported,
    entryFor: spec.entryFor,
    parse: (text: string | undefined, file: string) => parseJsonDocument(text, file),
    readEntries: (doc: ClientDocument) => readJsonMap(doc, spec.serversKey),
    writeEntry: (doc: ClientDocument, name: string, entry: ClientEntry) =>
      writeJsonEntry(doc, spec.serversKey, name, entry),
    removeEntry: (doc: ClientDocument, name: string) => removeJsonEntry(doc, spec.serversKey, name),
    serialize: (doc: ClientDocument) => doc.text,
  };
}
