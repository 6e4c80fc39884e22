/**
 * Short, inert excerpts of untrusted text: at most EXCERPT_MAX characters around an offset, with
 * every character outside printable ASCII escaped (`\u200b`, `\u{e0041}`, `\n`), so that no hidden,
 * bidi or control character, and no terminal escape, reaches a diagnostic, a plan or a PR comment.
 */
import { EXCERPT_MAX } from './types.js';

/** One code point, escaped unless it is printable ASCII. */
export function escapeCodePoint(cp: number): string {
  if (cp === 0x5c) return '\\\\';
  if (cp === 0x60) return '\\u0060'; // a backtick would end Markdown code spans in PR comments
  if (cp >= 0x20 && cp < 0x7f) return String.fromCharCode(cp);
  if (cp === 0x0a) return '\\n';
  if (cp === 0x09) return '\\t';
  if (cp === 0x0d) return '\\r';
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/** The whole text escaped, for tests and short names. */
export function escapeText(text: string): string {
  let out = '';
  for (const ch of text) out += escapeCodePoint(ch.codePointAt(0)!);
  return out;
}

/** How many code points precede UTF-16 index `index`. */
export function codePointOffset(text: string, index: number): number {
  let n = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: count it at the high half.
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const prev = text.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/** Code points to show before the finding, when there is room. */
const LEAD = 8;

/**
 * The excerpt at UTF-16 index `index`: a few characters of context before it, then as much from it
 * as fits in EXCERPT_MAX escaped characters. `…` marks text cut on either side (counted in the max).
 */
export function excerptAt(text: string, index: number): string {
  let start = index;
  for (let k = 0; k < LEAD && start > 0; k++) {
    start--;
    const c = text.charCodeAt(start);
    if (c >= 0xdc00 && c <= 0xdfff && start > 0) {
      const prev = text.charCodeAt(start - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) start--;
    }
  }
  const head = start > 0 ? '…' : '';
  let body = '';
  let i = start;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const piece = escapeCodePoint(cp);
    // Leave room for a trailing `…` unless this is the last code point.
    const next = i + (cp > 0xffff ? 2 : 1);
    const room = EXCERPT_MAX - head.length - (next < text.length ? 1 : 0);
    if (body.length + piece.length > room) break;
    body += piece;
    i = next;
  }
  return `${head}${body}${i < text.length ? '…' : ''}`;
}
