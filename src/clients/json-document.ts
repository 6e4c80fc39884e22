/**
 * Structural edits of JSON client files as minimal text edits: a changed entry is replaced or
 * inserted in place, indented like the file around it, and every other byte — the user's own
 * entries, unknown keys, key order, comments, trailing commas — stays as it was. This module parses
 * and says what to change (reading values is json-read.ts); the comment-aware text edits themselves are json-text-edits.ts.
 * Entry writes of one batch are applied together in one pass (json-entry-batch.ts).
 *
 * Every client's file is read as JSONC (line and block comments, trailing commas): that covers
 * what each client reads, and an edit never adds a comment, nor a trailing comma where the file
 * had none, so reading leniently cannot make a file unreadable to its client, while refusing what
 * the client reads would leave the target unreconcilable.
 */
import type * as Jsonc from 'jsonc-parser';
import { McpGitopsError } from '../core/errors.js';
import { applyEntryWrites, type EntryWrite, type EntryWriter } from './json-entry-batch.js';
import { jsonc, rememberStrict, rememberTree, tree } from './json-read.js';
import { parseStrict } from './json-strict.js';
import {
  detectStyle,
  expandInline,
  formatValue,
  insertElement,
  insertProperty,
  isInline,
  lineIndent,
  removeChild,
  type Style,
  splice,
} from './json-text-edits.js';
import type { ClientDocument } from './types.js';

export { isRecord, readJsonMap, readJsonValue, toPlain } from './json-read.js';

type JsonPath = (string | number)[];

/** A client file's text as a document (none or blank = `{}`); bad syntax is ERR_IO naming the file. */
export function parseJsonDocument(text: string | undefined, file: string): ClientDocument {
  const source = text === undefined || text.trim() === '' ? '{}\n' : text;
  // Strict JSON with an object on top (most client files): no tree until an edit needs one.
  const value = parseStrict(source);
  if (value) {
    const doc = new JsonDocument(file, source);
    rememberStrict(doc, value);
    return doc;
  }
  const root = parseRoot(source, file);
  if (root.type !== 'object') {
    throw new McpGitopsError('ERR_IO', `${file}: the top level is a ${root.type}, not an object`, {
      hint: 'fix the file by hand (the versions mcp-gitops replaced are kept under ~/.local/state/mcp-gitops/backups/)',
    });
  }
  const doc = new JsonDocument(file, source);
  rememberTree(doc, root);
  return doc;
}

/**
 * A parsed JSON client file. Entry writes (writeJsonEntry) wait in a queue and are applied together
 * the next time the text is read, in one pass where json-entry-batch.ts can; setting the text
 * replaces it as for any document.
 */
class JsonDocument implements ClientDocument {
  #text: string;
  #queued: EntryWrite[] = [];
  /** Top-level keys seen absent or holding an object: our edits keep them so. */
  readonly #checked = new Set<string>();

  constructor(
    public file: string,
    text: string,
  ) {
    this.#text = text;
  }

  get text(): string {
    if (this.#queued.length > 0) {
      const writes = this.#queued;
      this.#queued = [];
      applyEntryWrites(this, writes, writer);
    }
    return this.#text;
  }

  set text(value: string) {
    this.#queued = [];
    this.#checked.clear();
    this.#text = value;
  }

  /**
   * Queue the write, once its key is known to be absent or an object: a write that cannot be made
   * fails here, at the write, as setJsonValue does, and never later when the text is read.
   */
  queue(write: EntryWrite): void {
    if (!this.#checked.has(write.key)) {
      const root = tree(this);
      const node = root && jsonc().findNodeAtLocation(root, [write.key]);
      if (node && node.type !== 'object') {
        writer.setOne(this, write);
        return;
      }
      this.#checked.add(write.key);
    }
    this.#queued.push(write);
  }
}

const writer: EntryWriter = {
  tree: (doc) => tree(doc),
  findNode: (root, path) => jsonc().findNodeAtLocation(root, path),
  setOne: (doc, { key, name, value, remove }) =>
    remove ? removeJsonValue(doc, [key, name]) : setJsonValue(doc, [key, name], value),
};

/**
 * Set entry `name` of the object at top-level `key`: the same text as setJsonValue, applied with
 * the other writes queued on the document when its text is next read.
 */
export function writeJsonEntry(doc: ClientDocument, key: string, name: string, value: unknown): void {
  if (doc instanceof JsonDocument) doc.queue({ key, name, value });
  else setJsonValue(doc, [key, name], value);
}

/** Remove entry `name` of the object at top-level `key`: removeJsonValue, queued like writeJsonEntry. */
export function removeJsonEntry(doc: ClientDocument, key: string, name: string): void {
  if (doc instanceof JsonDocument) doc.queue({ key, name, value: undefined, remove: true });
  else removeJsonValue(doc, [key, name]);
}

/** Set `path` to `value`, creating missing parent objects; only that value's text changes. */
export function setJsonValue(doc: ClientDocument, path: JsonPath, value: unknown): void {
  const style = detectStyle(doc.text);
  if (spansLines(value)) expandAncestors(doc, path.slice(0, -1), style);
  const text = doc.text;
  const root = tree(doc);
  if (!root) throw new McpGitopsError('ERR_IO', `${doc.file}: cannot edit an unparsable file`);
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
  const found = findNode(doc, path);
  if (!found) {
    setJsonValue(doc, path, [value]);
    return;
  }
  if (found.type !== 'array') {
    throw new McpGitopsError('ERR_IO', `${doc.file}: "${path.join('.')}" is not an array`, {
      hint: 'fix the file by hand',
    });
  }
  const style = detectStyle(doc.text);
  if (spansLines(value)) expandAncestors(doc, path, style);
  doc.text = insertElement(doc.text, findNode(doc, path)!, value, style);
}

/**
 * Break every one-line container on `path` (the root first, then down) into lines, so a
 * multi-line value written below it is indented under its key instead of following `{"a": {` on
 * one line. Containers already written over several lines are left as they are.
 */
function expandAncestors(doc: ClientDocument, path: JsonPath, style: Style): void {
  for (let depth = 0; depth <= path.length; depth++) {
    const node = findNode(doc, path.slice(0, depth));
    if (!node || (node.type !== 'object' && node.type !== 'array')) return;
    if (isInline(doc.text, node)) doc.text = expandInline(doc.text, node, style);
  }
}

/** A value formatValue writes on several lines: a non-empty object or array. */
function spansLines(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

function findNode(doc: ClientDocument, path: JsonPath): Jsonc.Node | undefined {
  const root = tree(doc);
  return root && jsonc().findNodeAtLocation(root, path);
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

function collapseEmpty(doc: ClientDocument, path: JsonPath): void {
  const root = tree(doc);
  const node = root && jsonc().findNodeAtLocation(root, path);
  if (!node || (node.children?.length ?? 0) > 0) return;
  const inner = doc.text.slice(node.offset + 1, node.offset + node.length - 1);
  if (inner.trim() !== '') return;
  doc.text = splice(doc.text, node.offset, node.length, node.type === 'array' ? '[]' : '{}');
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

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
