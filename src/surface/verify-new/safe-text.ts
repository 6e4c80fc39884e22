/**
 * Text a server chose (tool descriptions, instructions, names) is untrusted: it may carry hidden
 * Unicode, terminal escapes, Markdown or HTML meant to hide or fake content in a plan or a pull
 * request comment, and it may be long. Before it is shown it is made visible and inert here:
 * control, format and private-use characters become `\u{...}` escapes, the text is cut to a
 * bound with what was cut said, and (for Markdown) every character Markdown or HTML acts on is
 * an entity, so a description renders as the literal text the model would read.
 */

/** Longest description or instructions shown, in characters (before escaping). */
export const MAX_SHOWN_CHARS = 600;

// Cc (controls, ANSI escapes), Cf (zero-width, bidi, tag characters), Co (private use), Zl/Zp,
// and noncharacters: invisible or misleading when printed.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}\u{FFFE}\u{FFFF}]/gu;

/** Hidden characters as `\u{hex}`, newlines and tabs as `\n` / `\t`, cut to `max` characters. */
export function visibleText(text: string, max = MAX_SHOWN_CHARS): string {
  const chars = [...text];
  const cut = chars.length > max;
  const shown = (cut ? chars.slice(0, max) : chars).join('').replace(HIDDEN, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`;
  });
  return cut ? `${shown} [${chars.length - max} more characters not shown]` : shown;
}

/** `visibleText`, then every Markdown/HTML-active character as an HTML entity (one line, inert). */
export function markdownText(text: string, max = MAX_SHOWN_CHARS): string {
  return visibleText(text, max).replace(/[\\`*_{}[\]()<>#+\-.!|~&"':@=^$%]/g, (c) => `&#${c.charCodeAt(0)};`);
}
