/**
 * Structural edits of JSON client files as minimal text edits: a changed entry is replaced or
 * inserted in place, indented like the file around it, and every other byte — the user's own
 * entries, unknown keys, key order, comments, trailing commas — stays as it was.
 *
 * Every client's file is read as JSONC (line and block comments, trailing commas): that covers
 * what each client reads, and an edit never adds a comment, nor a trailing comma where the file
 * had none, so reading leniently cannot make a file unreadable to its client, while refusing what
 * the client reads would leave the target unreconcilable.
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

/** A client file's text as a document (none or blank = `{}`); bad syntax is ERR_IO naming the file. */
export function parseJsonDocument(text: string | undefined, file: string): ClientDocument {
  const source = text === undefined || text.trim() === '' ? '{}\n' : text;
  const root = parseRoot(source, file);
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

/**
 * Remove the property or array element at `path` with one comma (its own, else the one before it)
 * and the lines it leaves blank. Comments around it stay; an object or array left with only
 * whitespace inside becomes `{}` / `[]`.
 */
export function removeJsonValue(doc: ClientDocument, path: JsonPath): void {
  const root = tree(doc);
  const node = root && path.length > 0 ? jsonc().findNodeAtLocation(root, path) : undefined;
  if (!node) return;
  const child = node.parent?.type === 'property' ? node.parent : node;
  const container = child.parent;
  if (!container) return;
  doc.text = removeChild(doc.text, container, child);
  if ((container.children?.length ?? 0) === 1) collapseEmpty(doc, path.slice(0, -1));
}

function removeChild(text: string, container: Jsonc.Node, child: Jsonc.Node): string {
  const start = child.offset;
  const end = child.offset + child.length;
  const after = skipTrivia(text, end);
  if (text[after.next] === ',') {
    if (!after.comment) return dropLines(text, start, after.next + 1);
    return dropLines(splice(text, after.next, 1, ''), start, end);
  }
  const siblings = container.children ?? [];
  const previous = siblings[siblings.indexOf(child) - 1];
  if (!previous) return dropLines(text, start, end);
  const comma = skipTrivia(text, previous.offset + previous.length).next;
  if (text[comma] !== ',') return dropLines(text, start, end);
  // The separator before a last child: `, <child>` goes as one piece unless a comment sits between.
  if (!skipTrivia(text, comma + 1).comment) return splice(text, comma, end - comma, '');
  return splice(dropLines(text, start, end), comma, 1, '');
}

/** Delete [from, to); when that leaves its lines blank, delete the lines. */
function dropLines(text: string, from: number, to: number): string {
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const newline = text.indexOf('\n', to);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  const ownLine = /^[ \t]*$/.test(text.slice(lineStart, from));
  if (ownLine && /^\s*$/.test(text.slice(to, lineEnd))) {
    return splice(text, lineStart, lineEnd - lineStart, '');
  }
  // A comment left on the line moves to its indentation.
  const spaces = ownLine ? /^[ \t]*/.exec(text.slice(to))![0].length : 0;
  return splice(text, from, to - from + spaces, '');
}

function collapseEmpty(doc: ClientDocument, path: JsonPath): void {
  const root = tree(doc);
  const node = root && jsonc().findNodeAtLocation(root, path);
  if (!node || (node.children?.length ?? 0) > 0) return;
  const inner = doc.text.slice(node.offset + 1, node.offset + node.length - 1);
  if (inner.trim() !== '') return;
  doc.text = splice(doc.text, node.offset, node.length, node.type === 'array' ? '[]' : '{}');
}

/** Past whitespace and comments from `pos`: where the next token starts, and whether it passed a comment. */
function skipTrivia(text: string, pos: number): { next: number; comment: boolean } {
  let i = pos;
  let comment = false;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const past = pastComment(text, i);
    if (past === i) return { next: i, comment };
    comment = true;
    i = past;
  }
}

/** Past the comment starting at `pos` (a line comment ends before its line break), else `pos`. */
function pastComment(text: string, pos: number): number {
  if (text.startsWith('//', pos)) {
    const eol = text.slice(pos).search(/[\r\n]/);
    return eol < 0 ? text.length : pos + eol;
  }
  if (text.startsWith('/*', pos)) {
    const close = text.indexOf('*/', pos + 2);
    return close < 0 ? text.length : close + 2;
  }
  return pos;
}

/** Past spaces, tabs and comments that start on the same line as `pos`. */
function restOfLine(text: string, pos: number): number {
  let i = pos;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const past = pastComment(text, i);
    if (past === i) return i;
    i = past;
  }
}

function parseRoot(text: string, file: string): Jsonc.Node {
  const errors: Jsonc.ParseError[] = [];
  const root = jsonc().parseTree(text, errors, { allowTrailingComma: true, allowEmptyContent: false });
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

/**
 * Insert after the last child of an object or array (or into an empty one), on a line of its own:
 * after the comma and comments on the last child's line, with a trailing comma when the last child
 * had one. Comments in an empty container stay.
 */
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
    const next = skipTrivia(text, end).next;
    const trailingComma = text[next] === ',';
    const at = restOfLine(text, trailingComma ? next + 1 : end);
    const withChild = splice(text, at, 0, `${style.eol}${indent}${child(indent)}${trailingComma ? ',' : ''}`);
    return trailingComma ? withChild : splice(withChild, end, 0, ',');
  }
  const outer = lineIndent(
    text,
    container.parent?.type === 'property' ? container.parent.offset : container.offset,
  );
  const inner = outer + style.unit;
  const close = container.offset + container.length - 1;
  if (text.slice(container.offset + 1, close).trim() === '') {
    const [open, end] = container.type === 'array' ? ['[', ']'] : ['{', '}'];
    const body = `${open}${style.eol}${inner}${child(inner)}${style.eol}${outer}${end}`;
    return splice(text, container.offset, container.length, body);
  }
  // Only comments inside: the child goes last, before the closing bracket's line.
  const closeLine = text.lastIndexOf('\n', close - 1) + 1;
  if (/^[ \t]*$/.test(text.slice(closeLine, close))) {
    return splice(text, closeLine, 0, `${inner}${child(inner)}${style.eol}`);
  }
  return splice(text, close, 0, `${style.eol}${inner}${child(inner)}${style.eol}${outer}`);
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
