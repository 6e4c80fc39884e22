/**
 * The common case, without Handlebars' compiler: a template that is only text and plain
 * `{{path}}` / `{{{path}}}` mustaches. Recognised conservatively (anything else — blocks, helpers,
 * whitespace control, escapes, odd identifiers — goes through Handlebars), rendered with the same
 * strict semantics: a missing path is an error, `null`/`undefined` print nothing, other values
 * print as `String(value)` (noEscape). A test checks it against the Handlebars engine.
 */
export type SimplePiece = string | readonly string[];

const MUSTACHE = /\{\{(\{?)\s*([A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*)\s*(\}?)\}\}/g;
const KEYWORDS = new Set(['else', 'true', 'false', 'null', 'undefined']);

export function parseSimpleTemplate(template: string): SimplePiece[] | undefined {
  const pieces: SimplePiece[] = [];
  let last = 0;
  for (const match of template.matchAll(MUSTACHE)) {
    const text = template.slice(last, match.index);
    if ((match[1] === '') !== (match[3] === '') || text.includes('{{') || text.endsWith('\\'))
      return undefined;
    const parts = match[2]!.split('.');
    if (KEYWORDS.has(parts[0]!)) return undefined;
    if (text !== '') pieces.push(text);
    pieces.push(parts);
    last = match.index + match[0].length;
  }
  const tail = template.slice(last);
  if (tail.includes('{{')) return undefined;
  if (tail !== '') pieces.push(tail);
  return pieces;
}

export class MissingVariableError extends Error {}

export function renderSimpleTemplate(pieces: readonly SimplePiece[], data: unknown): string {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    let value: unknown = data;
    for (const part of piece) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) {
        throw new MissingVariableError(`"${part}" is not defined`);
      }
      value = (value as Record<string, unknown>)[part];
    }
    if (value !== null && value !== undefined) out += String(value);
  }
  return out;
}
