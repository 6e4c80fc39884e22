/**
 * The one place secrets are redacted (semantic-release's hide-sensitive). Every resolved secret
 * value is registered here before it is used; logs, reports, plan output, commit and tag messages
 * pass through `redact` before they leave the process.
 */
export const REDACTED = '[REDACTED]';
const MIN_LENGTH = 4;

export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;
  private longest = 0;

  add(value: string | undefined): void {
    if (!value || value.length < MIN_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    // Also hide common encodings in which a value can leak (JSON-escaped, URL-encoded, base64).
    for (const v of [
      JSON.stringify(value).slice(1, -1),
      encodeURIComponent(value),
      Buffer.from(value).toString('base64'),
    ]) {
      if (v.length >= MIN_LENGTH) this.values.add(v);
    }
    for (const v of this.values) this.longest = Math.max(this.longest, v.length);
    const alternatives = [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(alternatives.join('|'), 'g');
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    if (!this.pattern) return text;
    return text.replace(this.pattern, REDACTED);
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
      const pattern = this.pattern;
      if (!pattern) {
        yield buffer;
        buffer = '';
        continue;
      }
      // A match starting before `final` lies wholly inside the buffer, as in the whole text.
      const final = buffer.length - (this.longest - 1);
      let out = '';
      let at = 0;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(buffer); m !== null && m.index < final; m = pattern.exec(buffer)) {
        out += buffer.slice(at, m.index) + REDACTED;
        at = m.index + m[0].length;
      }
      const end = Math.max(at, final);
      yield out + buffer.slice(at, end);
      buffer = buffer.slice(end);
    }
    yield this.redact(buffer);
  }

  /** Deep copy with every string redacted. */
  redactDeep<T>(value: T): T {
    if (!this.pattern) return value;
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Process-wide redactor: one per process, so every output path shares the same secret set. */
export const redactor = new Redactor();
