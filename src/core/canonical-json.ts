/**
 * JSON with object keys sorted at every level and `undefined` members dropped; arrays keep their
 * order (an `undefined` element is `null`, as in JSON). Built as text, never through a
 * re-assembled object, so a key named `__proto__` stays an ordinary key. The one implementation
 * behind spec hashes, tool-list hashes and stable files.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `canonicalJson`, indented by two spaces, with a trailing newline: for files people read. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}
