/**
 * Many entry writes to one JSON client file in one pass (issue 16). A document from
 * parseJsonDocument queues each `writeEntry` and applies the queue the next time its text is read
 * (serialize, readEntries, any other edit): one parse, one scan and one string build for a whole
 * batch, instead of a parse, a style scan and a copy of the whole file per entry — quadratic in the
 * servers of a file.
 *
 * The result is byte for byte what setJsonValue gives applied one write at a time: existing
 * entries are replaced in place with the indent of their key's line, new ones are appended after
 * the last entry exactly as insertChild appends them one by one (each new entry becomes the last,
 * so the next follows it with a comma, or after its own comma when the file uses trailing commas).
 * That holds while the file's indent style stays the same between writes and the servers object
 * is already written over several lines with at least one entry; a write where that is not certain
 * (an empty or one-line object, an indentation that would change the style, a name written twice)
 * goes through setJsonValue alone, and the pass starts again after it.
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
  value: unknown;
}

/** What the pass needs of json-document.ts: the tree of a text and the one-write edit. */
export interface EntryWriter {
  tree(doc: ClientDocument): Jsonc.Node | undefined;
  findNode(root: Jsonc.Node, path: (string | number)[]): Jsonc.Node | undefined;
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
  const appended: string[] = [];
  const seen = new Set<string>();
  let count = 0;
  for (let i = from; i < writes.length; i++) {
    const { key: k, name, value } = writes[i]!;
    if (k !== key || seen.has(name)) break;
    const node = entries.get(name);
    const indent = node ? lineIndent(text, node.parent!.offset) : appendIndent;
    if (!keepsStyle(indent, style)) break;
    const formatted = formatValue(value, indent, style);
    if (node) replaced.push({ at: node.offset, length: node.length, text: formatted });
    else appended.push(`${JSON.stringify(name)}: ${formatted}`);
    seen.add(name);
    count++;
  }
  if (count === 0) return 0;
  // A replaced value may hold the line the indent unit or line ending was read from.
  if (replaced.length > 0 && !sameStyle(detectStyle(outside(text, replaced)), style)) return 0;

  const splices = [...replaced];
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

/** The text with each replaced value cut down to a one-character stand-in: the lines that stay. */
function outside(text: string, replaced: readonly Splice[]): string {
  return applySplices(
    text,
    replaced.map((s) => ({ ...s, text: '0' })),
  );
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
