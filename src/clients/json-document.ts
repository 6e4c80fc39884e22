/**
 * Structural edits of JSON (and JSONC) client files as minimal text edits: a changed entry is
 * replaced or inserted in place, indented like the file around it, and every other byte — the
 * user's own entries, unknown keys, key order, comments — stays as it was.
 */
import { createRequire } from 'node:module';
import type * as Jsonc from 'jsonc-parser';
import { McpGitopsError } from '../core/errors.js';
import type { ClientDocument } from './types.js';

let parser: typeof Jsonc | undefined;

/** jsonc-parser, loaded on first use: validate only asks adapters pure questions, never parses a file. */
function jsonc(): typeof Jsonc {
  parser ??= createRequire(import.meta.url)('jsonc-parser') as typeof Jsonc;
  return parser;
}

type JsonPath = (string | number)[];

export interface JsonSyntax {
  /** JSONC: comments and trailing commas allowed (VS Code's files). */
  allowComments: boolean;
}

export function parseJsonDocument(
  text: string | undefined,
  file: string,
  syntax: JsonSyntax,
): ClientDocument {
  const source = text === undefined || text.trim() === '' ? '{}\n' : text;
  const root = parseRoot(source, file, syntax);
  if (root.type !== 'object') {
    throw new McpGitopsError('ERR_IO', `${file}: the top level is a ${root.type}, not an object`, {
      hint: 'fix the file by hand (a backup of what mcp-gitops last replaced is next to it as *.mcp-gitops.bak)',
    });
  }
  const doc = { file, text: source };
  trees.set(doc, { text: source, root });
  return doc;
}

/** The syntax tree of a document's current text, parsed once per text. */
const trees = new WeakMap<ClientDocument, { text: string; root: Jsonc.Node | undefined }>();
function tree(doc: ClientDocument): Jsonc.Node | undefined {
  const cached = trees.get(doc);
  if (cached && cached.text === doc.text) return cached.root;
  const root = jsonc().parseTree(doc.text, [], { allowTrailingComma: true });
  trees.set(doc, { text: doc.text, root });
  return root;
}

/** The value at `path`, or undefined when absent. */
export function readJsonValue(doc: ClientDocument, path: JsonPath): unknown {
  const root = tree(doc);
  const node = root && jsonc().findNodeAtLocation(root, path);
  return node ? toPlain(jsonc().getNodeValue(node)) : undefined;
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

/** Set `path` to `value`, creating missing parent objects; only that value's text changes. */
export function setJsonValue(doc: ClientDocument, path: JsonPath, value: unknown): void {
  const text = doc.text;
  const root = tree(doc);
  if (!root) throw new McpGitopsError('ERR_IO', `${doc.file}: cannot edit an unparsable file`);
  const style = detectStyle(text);
  for (let depth = path.length; depth >= 0; depth--) {
    const node = jsonc().findNodeAtLocation(root, path.slice(0, depth));
    if (!node) continue;
    if (depth === path.length) {
      const indent = lineIndent(text, node.parent?.type === 'property' ? node.parent.offset : node.offset);
      doc.text = splice(text, node.offset, node.length, formatValue(value, indent, style));
      return;
    }
    if (node.type !== 'object') {
      throw new McpGitopsError(
        'ERR_IO',
        `${doc.file}: "${path.slice(0, depth).join('.')}" is not an object`,
        {
          hint: 'fix the file by hand',
        },
      );
    }
    const nested = path
      .slice(depth + 1)
      .reduceRight<unknown>((inner, key) => ({ [String(key)]: inner }), value);
    doc.text = insertProperty(text, node, String(path[depth]), nested, style);
    return;
  }
}

/** Append `value` to the array at `path` (created when absent), indented like its elements. */
export function appendJsonValue(doc: ClientDocument, path: JsonPath, value: unknown): void {
  const root = tree(doc);
  const node = root && jsonc().findNodeAtLocation(root, path);
  if (!node) {
    setJsonValue(doc, path, [value]);
    return;
  }
  if (node.type !== 'array') {
    throw new McpGitopsError('ERR_IO', `${doc.file}: "${path.join('.')}" is not an array`, {
      hint: 'fix the file by hand',
    });
  }
  doc.text = insertElement(doc.text, node, value, detectStyle(doc.text));
}

/** Remove the property or array element at `path` (and its separating comma); nothing else changes. */
export function removeJsonValue(doc: ClientDocument, path: JsonPath): void {
  if (readJsonValue(doc, path) === undefined) return;
  doc.text = jsonc().applyEdits(doc.text, jsonc().modify(doc.text, path, undefined, {}));
}

function parseRoot(text: string, file: string, syntax: JsonSyntax): Jsonc.Node {
  const errors: Jsonc.ParseError[] = [];
  const root = jsonc().parseTree(text, errors, {
    disallowComments: !syntax.allowComments,
    allowTrailingComma: syntax.allowComments,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (first || !root) {
    const at = first ? position(text, first.offset) : { line: 1, col: 1 };
    const what = first ? jsonc().printParseErrorCode(first.error) : 'empty document';
    throw new McpGitopsError(
      'ERR_IO',
      `${file}:${at.line}:${at.col}: not valid JSON (${what}); left untouched`,
      {
        hint: 'fix the syntax by hand, then reconcile again',
      },
    );
  }
  return root;
}

interface Style {
  unit: string;
  eol: string;
}

function detectStyle(text: string): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)["}\]]/.exec(text);
  const unit = indented ? (indented[1]!.startsWith('\t') ? '\t' : indented[1]!) : '  ';
  return { unit, eol };
}

function insertProperty(text: string, obj: Jsonc.Node, key: string, value: unknown, style: Style): string {
  return insertChild(
    text,
    obj,
    (indent) => `${JSON.stringify(key)}: ${formatValue(value, indent, style)}`,
    style,
  );
}

function insertElement(text: string, array: Jsonc.Node, value: unknown, style: Style): string {
  return insertChild(text, array, (indent) => formatValue(value, indent, style), style);
}

/** Insert after the last child of an object or array (or fill an empty one), on a line of its own. */
function insertChild(
  text: string,
  container: Jsonc.Node,
  child: (indent: string) => string,
  style: Style,
): string {
  const children = container.children ?? [];
  const last = children[children.length - 1];
  if (last) {
    const indent = lineIndent(text, last.offset);
    const end = last.offset + last.length;
    const comma = /^\s*,/.exec(text.slice(end));
    const at = comma ? end + comma[0].length : end;
    const line = `${style.eol}${indent}${child(indent)}`;
    return splice(text, at, 0, comma ? line : `,${line}`);
  }
  const outer = lineIndent(
    text,
    container.parent?.type === 'property' ? container.parent.offset : container.offset,
  );
  const inner = outer + style.unit;
  const [open, close] = container.type === 'array' ? ['[', ']'] : ['{', '}'];
  const body = `${open}${style.eol}${inner}${child(inner)}${style.eol}${outer}${close}`;
  return splice(text, container.offset, container.length, body);
}

function formatValue(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).replace(/\n/g, `${style.eol}${indent}`);
}

function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function splice(text: string, offset: number, length: number, insert: string): string {
  return text.slice(0, offset) + insert + text.slice(offset + length);
}

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
