/**
 * The text edits behind json-document.ts's structural edits, on a JSONC file's text and its syntax
 * tree: insert a property or element after the last child (or into an empty container), remove one
 * with its comma and the lines it leaves blank, indented in the file's own style (indent unit and
 * line ending). Comments around the edit stay where they are, and a trailing comma is written only
 * where the file already had one, so every other byte of the user's file is kept. The one change
 * beyond the edit itself: a container written on one line (`{"mcpServers": {}}` style) that a
 * multi-line value goes into is first broken into lines, so no `"a": {"b": {` line results.
 */
import type * as Jsonc from 'jsonc-parser';

export function removeChild(text: string, container: Jsonc.Node, child: Jsonc.Node): string {
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

/** Past whitespace and comments from `pos`: where the next token starts, and whether it passed a comment. */
export function skipTrivia(text: string, pos: number): { next: number; comment: boolean } {
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
export function restOfLine(text: string, pos: number): number {
  let i = pos;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const past = pastComment(text, i);
    if (past === i) return i;
    i = past;
  }
}

export interface Style {
  unit: string;
  eol: string;
}

/**
 * The file's own indent unit and line ending: the smallest indentation of a line that starts a
 * key, value or bracket (tabs when it starts with a tab), two spaces for a file with none.
 */
export function detectStyle(text: string): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let unit: string | undefined;
  for (const m of text.matchAll(/\n([ \t]+)["{}[\]]/g)) {
    const indent = m[1]!;
    if (indent.startsWith('\t')) return { unit: '\t', eol };
    if (unit === undefined || indent.length < unit.length) unit = indent;
  }
  return { unit: unit ?? '  ', eol };
}

/** Whether a non-empty object or array has a child on the line of its opening bracket (`{"a": 1}`). */
export function isInline(text: string, container: Jsonc.Node): boolean {
  const first = container.children?.[0];
  return first !== undefined && !text.slice(container.offset, first.offset).includes('\n');
}

/**
 * A one-line container broken into lines: each child that shares a line with the token before it,
 * and the closing bracket, moves to a line of its own, one indent unit in from the line the
 * container starts on. The children's own text, commas and comments stay as they were.
 */
export function expandInline(text: string, container: Jsonc.Node, style: Style): string {
  const outer = lineIndent(
    text,
    container.parent?.type === 'property' ? container.parent.offset : container.offset,
  );
  const inner = outer + style.unit;
  const breaks: { at: number; length: number; insert: string }[] = [];
  const lineBreak = (from: number, to: number, indent: string) => {
    const gap = text.slice(from, to);
    if (gap.includes('\n')) return;
    const spaces = /[ \t]*$/.exec(gap)![0].length;
    breaks.push({ at: to - spaces, length: spaces, insert: `${style.eol}${indent}` });
  };
  let previousEnd = container.offset + 1;
  for (const child of container.children ?? []) {
    lineBreak(previousEnd, child.offset, inner);
    previousEnd = child.offset + child.length;
  }
  lineBreak(previousEnd, container.offset + container.length - 1, outer);
  return breaks.reduceRight((out, b) => splice(out, b.at, b.length, b.insert), text);
}

export function insertProperty(
  text: string,
  obj: Jsonc.Node,
  key: string,
  value: unknown,
  style: Style,
): string {
  return insertChild(
    text,
    obj,
    (indent) => `${JSON.stringify(key)}: ${formatValue(value, indent, style)}`,
    style,
  );
}

export function insertElement(text: string, array: Jsonc.Node, value: unknown, style: Style): string {
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

export function formatValue(value: unknown, indent: string, style: Style): string {
  return JSON.stringify(value, null, style.unit).replace(/\n/g, `${style.eol}${indent}`);
}

export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

export function splice(text: string, offset: number, length: number, insert: string): string {
  return text.slice(0, offset) + insert + text.slice(offset + length);
}
