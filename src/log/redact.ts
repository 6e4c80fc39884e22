/**
 * The one place secrets are redacted (semantic-release's hide-sensitive). Every resolved secret
 * value is registered here before it is used; logs, reports, plan output, commit and tag messages
 * pass through `redact` before they leave the process.
 */
import { MIN_VALUE_LENGTH as MIN_LENGTH, SecretMatcher } from './secret-matcher.js';

export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly values = new Set<string>();
  private readonly matcher = new SecretMatcher();

  add(value: string | undefined): void {
    if (!value || value.length < MIN_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    this.matcher.add(value);
    // Also hide common encodings in which a value can leak (JSON-escaped, URL-encoded, base64).
    for (const v of [
      JSON.stringify(value).slice(1, -1),
      urlEncoded(value),
      Buffer.from(value).toString('base64'),
    ]) {
      if (v.length >= MIN_LENGTH) {
        this.values.add(v);
        this.matcher.add(v);
      }
    }
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    return this.matcher.replaceAll(text, REDACTED);
  }

  /**
   * `redact(pieces.join(''))`, given and returned in pieces, for output too big to hold twice (a
   * 10,000-server plan). A stretch is let go only once no secret can start in it and reach past
   * what has been read: each one found exactly where `redact` of the whole text finds it.
   */
  *redactPieces(pieces: Iterable<string>, chunkLength = 1 << 16): Generator<string> {
    let buffer = '';
    for (const piece of pieces) {
      buffer += piece;
      if (buffer.length < chunkLength) continue;
      if (this.matcher.size === 0) {
        yield buffer;
        buffer = '';
        continue;
      }
      // A match starting before `final` lies wholly inside the buffer, as in the whole text.
      const final = buffer.length - (this.matcher.longest - 1);
      let out = '';
      let at = 0;
      for (let m = this.matcher.find(buffer, at, final); m; m = this.matcher.find(buffer, at, final)) {
        out += buffer.slice(at, m.index) + REDACTED;
        at = m.index + m.length;
      }
      const end = Math.max(at, final);
      yield out + buffer.slice(at, end);
      buffer = buffer.slice(end);
    }
    yield this.redact(buffer);
  }

  /** Deep copy with every string redacted. */
  redactDeep<T>(value: T): T {
    if (this.matcher.size === 0) return value;
    return walk(value, (s) => this.redact(s)) as T;
  }
}

function walk(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, fn));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, fn);
    return out;
  }
  return value;
}

/** Process-wide redactor: one per process, so every output path shares the same secret set. */
export const redactor = new Redactor();

/**
 * The URL-encoded form of a value, or '' when it has none: `encodeURIComponent` throws on a lone
 * surrogate, which a secret read from a file or a variable can hold; no URL can carry it either.
 */
function urlEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '';
  }
}
