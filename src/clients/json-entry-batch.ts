/**
 * Many entry writes to one JSON client file in one pass (issue 16). A document from
 * parseJsonDocument queues each `writeEntry` and `removeEntry` and applies the queue the next time its text is read
 * (serialize, readEntries, any other edit): one parse, one scan and one string build for a whole
 * batch, instead of a parse, a style scan and a copy of the whole file per entry — quadratic in the
 * servers of a file.
 *
 * The result is byte for byte what setJsonValue (and removeJsonValue) give applied one write at a
 * time: existing entries are replaced in place with the indent of their key's line, new ones are
 * appended after the last entry exactly as insertChild appends them one by one (each new entry
 * becomes the last, so the next follows it with a comma, or after its own comma when the file uses
 * trailing commas), and a removed entry alone on its lines with its own comma takes those lines.
 * That holds while the file's indent style stays the same between writes and the servers object
 * is already written over several lines with an entry that stays; a write where that is not
 * certain (an empty or one-line object, an indentation that would change the style, a name
 * written twice, the last entry removed, an entry sharing its line) goes through setJsonValue or
 * removeJsonValue alone, and the pass starts again after it.
 */
import type * as Jsonc from 'jsonc-parser';
import {
  detectStyle,
  formatValue,
  isInline,
  lineIndent,
  restOfLine,
  type Style,
  skipTrivia,
} from './json-text-edits.js';
import type { ClientDocument } from './types.js';

export interface EntryWrite {
  /** The top-level key holding the servers. */
  key: string;
  name: string;
  /** The entry to set, or `remove`: the entry is taken out (removeJsonValue). */
  value: unknown;
  remove?: true;
}

/** What the pass needs of json-document.ts: the tree of a text and the one-write edit. */
export interface EntryWriter {
  tree(doc: ClientDocument): Jsonc.Node | undefined;
  findNode(root: Jsonc.Node, path: (string | number)[]): Jsonc.Node | undefined;
  /** The write (or removal) applied on its own. */
  setOne(doc: ClientDocument, write: EntryWrite): void;
}

/** Apply `writes` in order to `doc.text`, as many as the conditions allow in each single pass. */
export function applyEntryWrites(
  doc: ClientDocument,
  writes: readonly EntryWrite[],
  writer: EntryWriter,
): void {
  let next = 0;
  while (next < writes.length) {
    const done = onePass(doc, writes, next, writer);
    if (done > 0) {
      next += done;
      continue;
    }
    writer.setOne(doc, writes[next]!);
    next++;
  }
}

interface Splice {
  at: number;
  length: number;
  text: string;
}

/** Writes from `from` on applied in one pass over the text; how many (0: the first one cannot be). */
function onePass(
  doc: ClientDocument,
  writes: readonly EntryWrite[],
  from: number,
  writer: EntryWriter,
): number {
  const text = doc.text;
  const root = writer.tree(doc);
  const key = writes[from]!.key;
  const servers = root && writer.findNode(root, [key]);
  const children = servers?.type === 'object' ? (servers.children ?? []) : [];
  const last = children[children.length - 1];
  if (!root || !servers || !last || isInline(text, root) || isInline(text, servers)) return 0;
  const style = detectStyle(text);
  if (style.unit !== '\t' && !/^ +$/.test(style.unit)) return 0;

  const entries = new Map<string, Jsonc.Node>();
  for (const property of children) {
    const [name, value] = property.children ?? [];
    if (value && typeof name?.value === 'string' && !entries.has(name.value)) entries.set(name.value, value);
  }
  const appendIndent = lineIndent(text, last.offset);
  const replaced: Splice[] = [];
  const removed: Splice[] = [];
  const appended: string[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (let i = from; i < writes.length; i++) {
    const { key: k, name, value, remove } = writes[i]!;
    if (k !== key || seen.has(name)) break;
    const node = entries.get(name);
    if (remove) {
      if (node) {
        const lines = removedLines(text, node.parent!);
        if (!lines || node.parent === last) break;
        removed.push(lines);
      }
      seen.add(name);
      count++;
      continue;
    }
    const indent = node ? lineIndent(text, node.parent!.offset) : appendIndent;
    if (!keepsStyle(indent, style)) break;
    const formatted = formatValue(value, indent, style);
    if (node) replaced.push({ at: node.offset, length: node.length, text: formatted });
    else appended.push(`${JSON.stringify(name)}: ${formatted}`);
    seen.add(name);
    count++;
  }
  if (count === 0) return 0;
  // A replaced value or a removed entry may hold the line the indent unit or line ending was read from.
  const changed = replaced.length + removed.length > 0;
  if (changed && !sameStyle(detectStyle(outside(text, replaced, removed)), style)) return 0;

  const splices = [...replaced, ...removed];
  if (appended.length > 0) {
    const indent = appendIndent;
    const end = last.offset + last.length;
    const next = skipTrivia(text, end).next;
    if (text[next] === ',') {
      const at = restOfLine(text, next + 1);
      splices.push({ at, length: 0, text: appended.map((c) => `${style.eol}${indent}${c},`).join('') });
    } else {
      splices.push({ at: end, length: 0, text: ',' });
      const at = restOfLine(text, end);
      splices.push({
        at,
        length: 0,
        text: `${style.eol}${indent}${appended.join(`,${style.eol}${indent}`)}`,
      });
    }
  }
  doc.text = applySplices(text, splices);
  return count;
}

/**
 * Whether lines written at `indent` (and one or more units deeper) leave the detected style as it
 * is: with a space unit, only spaces and never less than one unit (an empty indent is not seen).
 */
function keepsStyle(indent: string, style: Style): boolean {
  if (style.unit === '\t') return /^[ \t]*$/.test(indent);
  return indent === '' || (/^ +$/.test(indent) && indent.length >= style.unit.length);
}

const sameStyle = (a: Style, b: Style) => a.unit === b.unit && a.eol === b.eol;

/** The text with each replaced value cut down to a one-character stand-in and the removed lines cut: the lines that stay. */
function outside(text: string, replaced: readonly Splice[], removed: readonly Splice[]): string {
  return applySplices(text, [...replaced.map((s) => ({ ...s, text: '0' })), ...removed]);
}

/**
 * The lines removeChild deletes for an entry that is alone on its lines and followed by its own
 * comma (no comment between): only then is its removal the same whole lines whatever else the
 * batch removes. Undefined for any other layout.
 */
function removedLines(text: string, property: Jsonc.Node): Splice | undefined {
  const start = property.offset;
  const after = skipTrivia(text, start + property.length);
  if (text[after.next] !== ',' || after.comment) return undefined;
  const to = after.next + 1;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', to);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, start)) || !/^\s*$/.test(text.slice(to, lineEnd)))
    return undefined;
  return { at: lineStart, length: lineEnd - lineStart, text: '' };
}

/** Non-overlapping splices in original offsets, applied in one build (stable for equal offsets). */
function applySplices(text: string, splices: readonly Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let cursor = 0;
  for (const s of sorted) {
    parts.push(text.slice(cursor, s.at), s.text);
    cursor = s.at + s.length;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
