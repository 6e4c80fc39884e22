/**
 * Text a server chose (tool descriptions, instructions, names) is untrusted: it may carry hidden
 * Unicode, terminal escapes, Markdown or HTML meant to hide or fake content in a plan or a pull
 * request comment, and it may be long. Before it is shown it is made visible and inert here:
 * invisible characters become escapes (render-safe.ts, shared with the drift diff, plus any other
 * format or private-use character), the text is cut to a bound with what was cut said, and (for
 * Markdown) every character Markdown or HTML acts on is an entity — code spans would not do inside
 * a table cell, where `|` still splits — so a description renders as the text the model reads.
 */

import { escapeInvisible, truncate } from '../render-safe.js';

/** Longest description or instructions shown, in characters (before escaping). */
export const MAX_SHOWN_CHARS = 600;

// What render-safe.ts leaves as is but is still invisible or misleading when printed: other
// format characters (Cf), private use (Co), line/paragraph separators, noncharacters.
const HIDDEN_REST = /[\p{Cf}\p{Co}\p{Zl}\p{Zp}\u{FFFE}\u{FFFF}]/gu;

/** Hidden characters as escapes (render-safe.ts's, one line), cut to `max` characters with a note. */
export function visibleText(text: string, max = MAX_SHOWN_CHARS): string {
  const { text: kept, cut } = truncate(text, max);
  const shown = escapeInvisible(kept).replace(HIDDEN_REST, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  return cut > 0 ? `${shown}… (${cut} more characters)` : shown;
}

/** `visibleText`, then every Markdown/HTML-active character as an HTML entity (inert, even in a table cell). */
export function markdownText(text: string, max = MAX_SHOWN_CHARS): string {
  return visibleText(text, max).replace(/[\\`*_{}[\]()<>#+\-.!|~&"':@=^$%]/g, (c) => `&#${c.charCodeAt(0)};`);
}
