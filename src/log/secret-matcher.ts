/**
 * Finds registered secret values in text, for the redactor. A value is filed under a hash of its
 * first four code units (every value has at least four), so registering N values costs O(N) and a
 * scan costs one table probe per position of the text, however many values there are: one big
 * alternation regex rebuilt on every registration made 1,000 secrets cost seconds (issue 16).
 * Same answers as that regex (values sorted longest first, joined with `|`, no `u` flag): the
 * leftmost position where any value starts, and there the longest value that starts.
 */
export const MIN_VALUE_LENGTH = 4;

export interface SecretMatch {
  index: number;
  length: number;
}

export class SecretMatcher {
  /** One bit of the prefix hash per slot: most positions of a text stop here. */
  private readonly filter = new Uint8Array(1 << 16);
  /** Values by prefix hash, then by length: many secrets share a prefix (`ghp_`, `sk-`). */
  private readonly byPrefix = new Map<number, Bucket>();
  private longestLength = 0;
  private count = 0;

  /** The length of the longest value: no match is longer. */
  get longest(): number {
    return this.longestLength;
  }

  get size(): number {
    return this.count;
  }

  /** Registers a value (at least four code units); registering it again changes nothing. */
  add(value: string): void {
    if (value.length < MIN_VALUE_LENGTH) throw new RangeError('a secret value is at least 4 characters');
    const h = prefixHash(value.charCodeAt(0), value.charCodeAt(1), value.charCodeAt(2), value.charCodeAt(3));
    let bucket = this.byPrefix.get(h);
    if (!bucket) {
      bucket = { lengths: [], byLength: new Map() };
      this.byPrefix.set(h, bucket);
      this.filter[h & 0xffff] = 1;
    }
    let values = bucket.byLength.get(value.length);
    if (!values) {
      values = new Set();
      bucket.byLength.set(value.length, values);
      bucket.lengths.push(value.length);
      bucket.lengths.sort((a, b) => b - a);
    }
    if (values.has(value)) return;
    values.add(value);
    this.count++;
    if (value.length > this.longestLength) this.longestLength = value.length;
  }

  /** The first match starting at or after `from` and before `before`, or undefined. */
  find(text: string, from = 0, before = text.length): SecretMatch | undefined {
    const last = Math.min(before, text.length - MIN_VALUE_LENGTH + 1);
    if (this.count === 0 || from >= last) return undefined;
    let c1 = text.charCodeAt(from);
    let c2 = text.charCodeAt(from + 1);
    let c3 = text.charCodeAt(from + 2);
    for (let i = from; i < last; i++) {
      const c0 = c1;
      c1 = c2;
      c2 = c3;
      c3 = text.charCodeAt(i + 3);
      const h = prefixHash(c0, c1, c2, c3);
      if (this.filter[h & 0xffff] === 0) continue;
      const bucket = this.byPrefix.get(h);
      if (!bucket) continue;
      for (const length of bucket.lengths) {
        const values = bucket.byLength.get(length) as Set<string>;
        if (values.size === 1 ? text.startsWith(first(values), i) : values.has(text.slice(i, i + length))) {
          return { index: i, length };
        }
      }
    }
    return undefined;
  }

  /** Every match, left to right, each replaced by `replacement`. */
  replaceAll(text: string, replacement: string): string {
    let match = this.find(text);
    if (!match) return text;
    let out = '';
    let at = 0;
    for (; match; match = this.find(text, at)) {
      out += text.slice(at, match.index) + replacement;
      at = match.index + match.length;
    }
    return out + text.slice(at);
  }
}

/** The values filed under one prefix hash: their lengths longest first, and the values of each. */
interface Bucket {
  lengths: number[];
  byLength: Map<number, Set<string>>;
}

function first(values: Set<string>): string {
  for (const value of values) return value;
  return '';
}

function prefixHash(c0: number, c1: number, c2: number, c3: number): number {
  let h =
    Math.imul(c0, 0x9e3779b1) ^
    Math.imul(c1, 0x85ebca6b) ^
    Math.imul(c2, 0xc2b2ae35) ^
    Math.imul(c3, 0x27d4eb2f);
  h ^= h >>> 15;
  return h | 0;
}
