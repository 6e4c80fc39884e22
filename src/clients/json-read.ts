/**
 * Reading JSON client files: jsonc-parser loaded on first use, each document's syntax tree parsed
 * once per text, and values handed out as ordinary data (jsonc-parser builds objects without a
 * prototype). json-document.ts edits documents with the same trees. A document whose text is
 * strict JSON is read without a tree (json-strict.ts) until something needs one.
 */
import { createRequire } from 'node:module';
import type * as Jsonc from 'jsonc-parser';
import { McpGitopsError } from '../core/errors.js';
import { findStrict, parseStrict } from './json-strict.js';
import type { ClientDocument } from './types.js';

type JsonPath = (string | number)[];

let parser: typeof Jsonc | undefined;

/** jsonc-parser, loaded on first use: validate only asks adapters pure questions, never parses a file. */
export function jsonc(): typeof Jsonc {
  parser ??= createRequire(import.meta.url)('jsonc-parser') as typeof Jsonc;
  return parser;
}

/** The syntax tree of a document's current text, parsed once per text. */
const trees = new WeakMap<ClientDocument, { text: string; root: Jsonc.Node | undefined }>();
export function tree(doc: ClientDocument): Jsonc.Node | undefined {
  const cached = trees.get(doc);
  if (cached && cached.text === doc.text) return cached.root;
  const root = jsonc().parseTree(doc.text, [], { allowTrailingComma: true });
  trees.set(doc, { text: doc.text, root });
  return root;
}

/** The tree a document was just parsed into, so reading it does not parse its text again. */
export function rememberTree(doc: ClientDocument, root: Jsonc.Node): void {
  trees.set(doc, { text: doc.text, root });
}

/**
 * Documents whose text was parsed by JSON.parse (json-strict.ts), with the value: handed out to
 * the first read, parsed again for later ones, so no two readers share (and may change) one value.
 */
const strict = new WeakMap<ClientDocument, { text: string; root: Record<string, unknown> | undefined }>();

/** Remember that `root` is the strict parse of the document's current text (parseJsonDocument). */
export function rememberStrict(doc: ClientDocument, root: Record<string, unknown>): void {
  strict.set(doc, { text: doc.text, root });
}

/** The value at `path` through JSON.parse, when the document's text takes that path and the tree is not parsed yet. */
function readStrict(doc: ClientDocument, path: JsonPath): { value: unknown } | undefined {
  const known = strict.get(doc);
  if (!known || trees.has(doc)) return undefined;
  const text = doc.text;
  if (known.text !== text) return undefined;
  const root = known.root ?? parseStrict(text);
  known.root = undefined;
  return root && findStrict(root, text, path);
}

/** The value at `path`, or undefined when absent. */
export function readJsonValue(doc: ClientDocument, path: JsonPath): unknown {
  const fast = readStrict(doc, path);
  if (fast) return fast.value;
  const root = tree(doc);
  const node = root && jsonc().findNodeAtLocation(root, path);
  return node ? plainValue(node) : undefined;
}

/**
 * `toPlain(getNodeValue(node))` built in one pass, without the prototype-less copy in between (a
 * client file of 1,000 entries was copied twice on every observe). An object with a `__proto__`
 * key takes the two-step path: assigning it twice is not assigning the last value once.
 */
function plainValue(node: Jsonc.Node): unknown {
  if (node.type === 'array') return (node.children ?? []).map(plainValue);
  if (node.type !== 'object') return jsonc().getNodeValue(node);
  const props = node.children ?? [];
  if (props.some((p) => p.children?.[0]?.value === '__proto__')) return toPlain(jsonc().getNodeValue(node));
  const out: Record<string, unknown> = {};
  for (const prop of props) {
    const value = prop.children?.[1];
    if (value) out[prop.children?.[0]?.value as string] = plainValue(value);
  }
  return out;
}

/** jsonc-parser builds objects without a prototype; callers get ordinary data. */
export function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

/** The object at `key` of the root (absent = empty); anything else there is an error naming the file. */
export function readJsonMap(doc: ClientDocument, key: string): Record<string, Record<string, unknown>> {
  const value = readJsonValue(doc, [key]);
  if (value === undefined) return {};
  if (!isRecord(value)) {
    throw new McpGitopsError('ERR_IO', `${doc.file}: "${key}" is not an object`, {
      hint: `"${key}" must map server names to entries; fix the file by hand`,
    });
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, entry] of Object.entries(value)) if (isRecord(entry)) out[name] = entry;
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
