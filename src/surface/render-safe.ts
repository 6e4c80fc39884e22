/**
 * Text from an MCP server (tool names, descriptions, schema keys) made safe to print. A
 * description can hide instructions for the model in characters a person does not see; a terminal
 * can be driven by control characters; Markdown can be broken out of. So: control characters and
 * invisible or direction-changing Unicode are shown as escapes (`\u200b`, `\u{e0041}`), long text
 * is cut with a note, and Markdown gets code spans and fences longer than any backtick run inside.
 */

/** Code point ranges shown as escapes: C0/C1 controls, soft hyphen, joiners and zero-width characters, bidi controls, invisible operators, fillers, variation selectors, tags, lone surrogates. */
const INVISIBLE: readonly [number, number][] = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xd800, 0xdfff],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
];

function invisible(code: number): boolean {
  return INVISIBLE.some(([from, to]) => code >= from && code <= to);
}

function escapeChar(c: string, code: number): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** Every invisible or control character as an escape; newlines too (the result is one line). */
export function escapeInvisible(text: string): string {
  let out = '';
  // for...of walks code points; a lone surrogate comes through as itself.
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    out += invisible(code) ? escapeChar(c, code) : c;
  }
  return out;
}

export const MAX_TEXT = 2000;

/** At most `max` characters of `text` (counted before escaping), then a note saying how much was cut. */
export function truncate(text: string, max = MAX_TEXT): { text: string; cut: number } {
  const chars = [...text];
  if (chars.length <= max) return { text, cut: 0 };
  return { text: chars.slice(0, max).join(''), cut: chars.length - max };
}

/** Untrusted text on one line: escaped and bounded, with `… (N more characters)` when cut. */
export function safeText(text: string, max = MAX_TEXT): string {
  const { text: kept, cut } = truncate(text, max);
  return cut > 0 ? `${escapeInvisible(kept)}… (${cut} more characters)` : escapeInvisible(kept);
}

/** A JSON value from a server on one line: compact JSON, escaped and bounded. */
export function safeJson(value: unknown, max = 120): string {
  if (value === undefined) return '(unset)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Nested deeper than JSON.stringify goes: say what it is, not what it holds.
    text = Array.isArray(value) ? '[...]' : '{...}';
  }
  return safeText(text, max);
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** A Markdown code span holding `text` literally (already made safe): the fence outlasts any backtick run. */
export function codeSpan(text: string): string {
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced Markdown block holding `body` literally: a fence longer than any backtick run in it. */
export function fencedBlock(body: string, info = 'text'): string {
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${info}\n${body}${body.endsWith('\n') ? '' : '\n'}${fence}`;
}
