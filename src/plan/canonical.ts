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

/** Canonical JSON text; `undefined` (absent) canonicalizes to the empty string. */
export function canonicalJson(value: unknown): string {
  const c = canonicalize(value);
  return c === undefined ? '' : JSON.stringify(c);
}

export function canonicalEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
