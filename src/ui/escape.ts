/**
 * The one way any value reaches a page: HTML-escaped, and every control, zero-width, bidi or
 * otherwise invisible character shown as an inert escape (`\u202e`), so a hostile tool
 * description or report field can neither inject markup nor reorder or hide what a reader sees.
 * Secret values the process knows are redacted before escaping (and whole pages again after).
 */
import { redactor } from '../log/redact.js';
import { escapeInvisible } from '../surface/render-safe.js';

/** Text for an element body or a quoted attribute value; a registered secret becomes `[REDACTED]` first. */
export function esc(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return escapeInvisible(redactor.redact(text)).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A multi-line block (a schema, a description): newlines kept, everything else as `esc`. */
export function escBlock(value: string): string {
  return value
    .split('\n')
    .map((line) => esc(line))
    .join('\n');
}

/** A `data-testid` / id fragment: the value escaped, so a hostile name stays an attribute value. */
export function testId(...parts: string[]): string {
  return esc(parts.join('-'));
}
