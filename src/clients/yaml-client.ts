/**
 * The YAML shape: servers as a map or a list of named entries under one top-level key, edited
 * through the `yaml` Document API so the user's comments and order stay (yaml-document.ts). An
 * adapter of that shape only says where its file is and how its entries look.
 */
import type { ClientAdapter, ClientDocument, ClientEntry } from './types.js';
import {
  parseYamlDocument,
  readYamlEntries,
  removeYamlEntry,
  writeYamlEntry,
  type YamlServersLayout,
} from './yaml-document.js';

export interface YamlClientSpec
  extends Pick<
    ClientAdapter,
    'id' | 'displayName' | 'scopes' | 'path' | 'candidatePaths' | 'unsupported' | 'entryFor'
  > {
  /** The top-level key holding the servers, e.g. `mcpServers` or `extensions`. */
  serversKey: string;
  /** `map`: `key: {name: entry}`; `list`: `key: [{name, …entry}]`. */
  layout: YamlServersLayout;
}

export function createYamlClient(spec: YamlClientSpec): ClientAdapter {
  const { serversKey: key, layout } = spec;
  return {
    id: spec.id,
    displayName: spec.displayName,
    scopes: spec.scopes,
    path: spec.path,
    ...(spec.candidatePaths ? { candidatePaths: spec.candidatePaths } : {}),
    unsupported: spec.unsupported,
    entryFor: spec.entryFor,
    parse: (text: string | undefined, file: string) => parseYamlDocument(text, file, key),
    readEntries: (doc: ClientDocument) => readYamlEntries(doc, key, layout),
    writeEntry: (doc: ClientDocument, name: string, entry: ClientEntry) =>
      writeYamlEntry(doc, key, layout, name, entry),
    removeEntry: (doc: ClientDocument, name: string) => removeYamlEntry(doc, key, layout, name),
    serialize: (doc: ClientDocument) => doc.text,
  };
}
