/**
 * Canonical form for comparing specs and rendered entries: object keys sorted, `undefined`
 * dropped, and empty objects / arrays treated as absent (no MCP client tells `env: {}` from no
 * `env`). Two values with equal canonical JSON are in sync; anything else is a real difference.
 */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => canonicalize(v) ?? null);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonicalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  return value;
}

/**
 * Canonical JSON text; `undefined` (absent) canonicalizes to the empty string. Exactly
 * `JSON.stringify(canonicalize(value))`, written in one pass without building the canonical copy:
 * every spec hash of a plan goes through here (issue 16).
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? '';
}

/** The canonical JSON of `value`, or `undefined` when it canonicalizes to absent. */
function write(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${write(value[i]) ?? 'null'}`;
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    let out = '';
    for (const key of jsonKeyOrder(Object.keys(value).sort())) {
      const v = write((value as Record<string, unknown>)[key]);
      if (v !== undefined) out += `${out === '' ? '{' : ','}${JSON.stringify(key)}:${v}`;
    }
    return out === '' ? undefined : `${out}}`;
  }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  return JSON.stringify(value);
}

/**
 * The order in which JavaScript enumerates an object whose keys were inserted in `sorted` order
 * (what `canonicalize` builds): array-index keys first, ascending by number, then the others.
 */
function jsonKeyOrder(sorted: string[]): string[] {
  const indexes = sorted.filter(isArrayIndex);
  if (indexes.length === 0) return sorted;
  indexes.sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...sorted.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  if (c < 48 || c > 57) return false;
  const n = Number(key);
  return Number.isInteger(n) && n < 4294967295 && String(n) === key;
}

export function canonicalEqual(a: unknown, b: unknown): boolean {
  return sameTree(a, b) || canonicalJson(a) === canonicalJson(b);
}

/**
 * A sufficient test of canonical equality that builds nothing: the same own keys (in any order)
 * holding the same values (`===`) all the way down. False proves nothing (`{ a: undefined }` and
 * `{}` are canonically equal): callers compare canonical JSON then. An in-sync plan compares
 * thousands of rendered entries with what was observed, and almost all are equal this way.
 */
export function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameTree(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    // Keys in the same order (the usual case: both written by the same code) need no lookup.
    if (other[i] !== key && !isEnumerable.call(b, key)) return false;
    if (!sameTree((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

const isEnumerable = Object.prototype.propertyIsEnumerable;
