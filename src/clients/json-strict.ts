/**
 * The fast path of reading a JSON client file: most client files are strict JSON, which the
 * engine's own `JSON.parse` reads several times faster than the position-keeping JSONC parser
 * (observing 3 client files of 1,000 entries spent ~45 ms in it). Observing needs values, not
 * positions; edits still parse the tree (json-read.ts `tree`) when they are made.
 *
 * The fast path is taken only where it gives exactly what the JSONC parser gives (json-read.ts
 * `readJsonValue`), otherwise the caller parses as before:
 *  - the text must be strict JSON (comments, trailing commas, a BOM: JSON.parse refuses them);
 *    everything JSON.parse accepts, jsonc-parser accepts with the same values;
 *  - its top level must be an object (anything else is the JSONC path's error message);
 *  - nesting at most MAX_STRICT_DEPTH: JSON.parse has no depth bound, the recursive JSONC parser
 *    does (a hostile file nested 100,000 deep fails there with a RangeError), so deeper files keep
 *    that path and its outcome;
 *  - no `\u` escape and no `__proto__` anywhere: a `__proto__` key becomes a prototype on the
 *    JSONC path and an own key through JSON.parse, and an escape could spell either or a key;
 *  - a key looked up (`findStrict`) occurs once in the text: for a duplicate key, JSONC's lookup
 *    takes the first, JSON.parse keeps the last.
 */

/** Deeper files than this take the JSONC parser, whatever happens to them there. */
export const MAX_STRICT_DEPTH = 64;

/** The parsed top-level object of `text`, or undefined when the fast path does not apply. */
export function parseStrict(text: string): Record<string, unknown> | undefined {
  if (text.includes('\\u') || text.includes('__proto__')) return undefined;
  let value: unknown;
  try {
    // V8's JSON.parse is not recursive: a hostile nesting is parsed, then refused by the walk below.
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value) || !withinDepth(value, 1)) return undefined;
  return value;
}

/**
 * The value at `path` below a `parseStrict` result, as jsonc-parser's findNodeAtLocation finds
 * it: `{ value }`, `{ value: undefined }` when absent, or undefined when a key on the path is not
 * known to be unique in `text` (the caller then asks the JSONC tree).
 */
export function findStrict(
  root: unknown,
  text: string,
  path: readonly (string | number)[],
): { value: unknown } | undefined {
  let node = root;
  for (const segment of path) {
    if (typeof segment === 'string') {
      if (!isPlainObject(node)) return { value: undefined };
      if (!occursOnceAsKey(text, segment)) return undefined;
      if (!Object.hasOwn(node, segment)) return { value: undefined };
      node = node[segment];
    } else {
      if (!Array.isArray(node) || segment < 0 || segment >= node.length) return { value: undefined };
      node = node[segment];
    }
  }
  return { value: node };
}

/**
 * Whether `"key":` occurs at most once in the text. Counted on the raw text, inside strings too:
 * a count of two may be a false alarm (then the JSONC path answers), one is never wrong, since
 * without `\u` escapes a key equal to `key` is written `"key"` when `key` needs no escaping.
 */
function occursOnceAsKey(text: string, key: string): boolean {
  if (/["\\/\u0000-\u001f]/.test(key)) return false;
  const quoted = `"${key}"`;
  let seen = 0;
  for (let at = text.indexOf(quoted); at >= 0; at = text.indexOf(quoted, at + quoted.length)) {
    let next = at + quoted.length;
    while (next < text.length && isJsonSpace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 58 /* : */ && ++seen > 1) return false;
  }
  return true;
}

/**
 * Whether no container below `value` (itself at `depth`) is nested deeper than MAX_STRICT_DEPTH;
 * recursion never goes past that bound. Walking the parsed value costs less than scanning the
 * text in a process this short (the scan runs cold).
 */
export function withinDepth(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth > MAX_STRICT_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const element of value) if (!withinDepth(element, depth + 1)) return false;
    return true;
  }
  for (const key in value) if (!withinDepth((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

function isJsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
