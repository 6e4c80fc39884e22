/**
 * YAML client files edited through the `yaml` package's Document API: the user's comments, key
 * order and other entries stay; only the managed entry's node is replaced, added or removed.
 * Servers are either a map under one key (`extensions: {name: entry}`) or a list under one key
 * whose items carry a `name` field (`mcpServers: [{name, …}]`).
 */
import { createRequire } from 'node:module';
import type { Document, ToStringOptions, YAMLMap, YAMLSeq } from 'yaml';
import { McpGitopsError } from '../core/errors.js';
import { isRecord } from './json-document.js';
import type { ClientDocument, ClientEntry } from './types.js';

export type YamlServersLayout = 'map' | 'list';

// `yaml` is required on first use: the client registry (and through it `validate` and `plan`)
// loads this module at start, and only editing a YAML client file needs the package.
let yamlModule: typeof import('yaml') | undefined;
function Y(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
}
function isMap(node: unknown): node is YAMLMap {
  return Y().isMap(node);
}
function isSeq(node: unknown): node is YAMLSeq {
  return Y().isSeq(node);
}

export interface YamlClientDocument extends ClientDocument {
  yaml: Document;
  /** How the file is written, so the text the Document gives back matches the user's. */
  style: ToStringOptions;
  /** Line ending of the file (CRLF kept). */
  eol: '\n' | '\r\n';
  /** Whether the file had the servers key: one it did not have is removed again once empty. */
  hadKey: boolean;
}

/**
 * The file's own layout, as far as `yaml` can write it: its indent (2 or 4 spaces), whether list
 * items are indented under their key, and whether flow collections are padded (`[ a ]`).
 */
function styleOf(text: string): ToStringOptions {
  const indents = [...text.matchAll(/^( +)\S/gm)].map((m) => m[1]!.length);
  const indent = indents.length > 0 ? Math.min(...indents) : 2;
  const flat = /^( *)[^\s#-][^\n]*:[ \t]*(#[^\n]*)?\r?\n\1- /m.test(text);
  const padded = /[[{] [^\s\]}]/.test(text) && !/:[ \t]*[[{][^\s\]}]/.test(text);
  return { indent: indent === 4 ? 4 : 2, indentSeq: !flat, flowCollectionPadding: padded };
}

export function parseYamlDocument(text: string | undefined, file: string, key: string): YamlClientDocument {
  const source = text ?? '';
  const yaml = Y().parseDocument(source, { keepSourceTokens: false });
  const error = yaml.errors[0];
  if (error) {
    const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [0, 0];
    throw new McpGitopsError(
      'ERR_IO',
      `${file}:${line}:${col}: not valid YAML (${error.message.split('\n')[0]}); left untouched`,
      { hint: 'fix the syntax by hand, then reconcile again' },
    );
  }
  if (yaml.contents !== null && !isMap(yaml.contents)) {
    throw new McpGitopsError('ERR_IO', `${file}: the top level is not a mapping`, {
      hint: 'fix the file by hand',
    });
  }
  const servers = yaml.get(key, true);
  if (servers !== undefined && servers !== null && !isMap(servers) && !isSeq(servers)) {
    const scalar = (servers as { value?: unknown }).value;
    if (scalar !== null && scalar !== undefined)
      throw new McpGitopsError('ERR_IO', `${file}: "${key}" is not a list or mapping`, {
        hint: 'fix the file by hand',
      });
  }
  return new LazyYamlDocument(file, source, yaml, yaml.has(key));
}

/**
 * A YAML file being edited: edits change the Document, and its text is rendered when read — once
 * for a batch of edits instead of once per edit (a render is a pass over the whole file). The text
 * is the one rendering after every edit gave: edits never read it, and rendering changes nothing.
 */
class LazyYamlDocument implements YamlClientDocument {
  readonly style: ToStringOptions;
  readonly eol: '\n' | '\r\n';
  #text: string;
  #stale = false;

  constructor(
    public file: string,
    source: string,
    readonly yaml: Document,
    readonly hadKey: boolean,
  ) {
    this.#text = source;
    this.style = styleOf(source);
    this.eol = source.includes('\r\n') ? '\r\n' : '\n';
  }

  get text(): string {
    if (this.#stale) {
      this.#stale = false;
      this.#text = rendered(this);
    }
    return this.#text;
  }

  set text(value: string) {
    this.#stale = false;
    this.#text = value;
  }

  /** The Document changed: render it when the text is next read. */
  changed(): void {
    this.#stale = true;
  }
}

function servers(doc: ClientDocument, key: string): YAMLMap | YAMLSeq | undefined {
  const node = (doc as YamlClientDocument).yaml.get(key, true);
  return isMap(node) || isSeq(node) ? node : undefined;
}

export function readYamlEntries(
  doc: ClientDocument,
  key: string,
  layout: YamlServersLayout,
): Record<string, ClientEntry> {
  const node = servers(doc, key);
  const out: Record<string, ClientEntry> = {};
  if (!node) return out;
  const plain = node.toJSON() as unknown;
  if (layout === 'map' && isRecord(plain)) {
    for (const [name, entry] of Object.entries(plain)) if (isRecord(entry)) out[name] = entry as ClientEntry;
  }
  if (layout === 'list' && Array.isArray(plain)) {
    for (const item of plain)
      if (isRecord(item) && typeof item.name === 'string') {
        const { name, ...entry } = item;
        out[name] = entry as ClientEntry;
      }
  }
  return out;
}

/** Index of the list item named `name`, or -1. */
function itemIndex(seq: YAMLSeq, name: string): number {
  return seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
}

export function writeYamlEntry(
  doc: ClientDocument,
  key: string,
  layout: YamlServersLayout,
  name: string,
  entry: ClientEntry,
): void {
  const yaml = (doc as YamlClientDocument).yaml;
  if (yaml.contents === null) yaml.contents = yaml.createNode({}) as never;
  const node = servers(doc, key);
  // An empty `[]` / `{}` the entry goes into becomes a block collection, as the entries are.
  if (node && node.items.length === 0) node.flow = false;
  if (layout === 'map') {
    const value = yaml.createNode(entry);
    if (node && isMap(node)) node.set(name, value);
    else yaml.set(key, yaml.createNode({ [name]: entry }));
  } else {
    const value = yaml.createNode({ name, ...entry });
    if (node && isSeq(node)) {
      const at = itemIndex(node, name);
      if (at >= 0) node.items[at] = value;
      else node.items.push(value);
    } else yaml.set(key, yaml.createNode([{ name, ...entry }]));
  }
  render(doc as YamlClientDocument);
}

/** The document's text follows its edited Document (rendered when next read). */
function render(doc: YamlClientDocument): void {
  if (doc instanceof LazyYamlDocument) doc.changed();
  else doc.text = rendered(doc);
}

/** The Document's text in the file's own style and line ending; an emptied file is empty again. */
function rendered(doc: YamlClientDocument): string {
  const contents = doc.yaml.contents;
  const empty =
    isMap(contents) && contents.items.length === 0 && !doc.yaml.commentBefore && !doc.yaml.comment;
  const text = empty ? '' : doc.yaml.toString(doc.style);
  return doc.eol === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text;
}

/**
 * Removes the entry. Servers the file did not have before are removed with their key once empty;
 * a key the user had stays, as the empty collection it was (`[]` / `{}`).
 */
export function removeYamlEntry(
  doc: ClientDocument,
  key: string,
  layout: YamlServersLayout,
  name: string,
): void {
  const yaml = (doc as YamlClientDocument).yaml;
  const node = servers(doc, key);
  if (!node) return;
  if (layout === 'map' && isMap(node)) {
    if (!node.has(name)) return;
    node.delete(name);
  } else if (layout === 'list' && isSeq(node)) {
    const at = itemIndex(node, name);
    if (at < 0) return;
    node.items.splice(at, 1);
  } else return;
  if (node.items.length === 0) {
    if ((doc as YamlClientDocument).hadKey) node.flow = true;
    else yaml.delete(key);
  }
  render(doc as YamlClientDocument);
}
