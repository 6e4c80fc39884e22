/**
 * Where two JSON values differ, as paths (`properties.path.type`, `required[1]`). Used for tool
 * input/output schemas and annotations, which come from a server and can be deep or huge on
 * purpose: the walk stops at a fixed depth (deeper differences are reported at the cut) and after
 * a fixed number of paths (the caller is told the list is cut), so a hostile schema costs bounded
 * output. Pure and deterministic: object keys are visited in sorted order.
 */

export interface JsonPathChange {
  /** `$` for the root; keys joined by `.`; `[n]` for array items; odd keys as `["a.b"]`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface JsonDiffResult {
  changes: JsonPathChange[];
  /** True when more paths differ than were listed (the walk stopped at `maxPaths`). */
  truncated: boolean;
}

export const JSON_DIFF_MAX_DEPTH = 16;
export const JSON_DIFF_MAX_PATHS = 50;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kindOf(v: unknown): 'object' | 'array' | 'scalar' {
  return Array.isArray(v) ? 'array' : isObject(v) ? 'object' : 'scalar';
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path === '$' ? '' : path}[${key}]`;
  const part = IDENT.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === '$') return part;
  return part.startsWith('[') ? `${path}${part}` : `${path}.${part}`;
}

const sortKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Deep equality of JSON values without recursion (an explicit stack), so a value nested thousands
 * deep below the depth cut neither overflows the call stack nor is mistaken for equal.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [unknown, unknown];
    if (Object.is(x, y)) continue;
    const kx = kindOf(x);
    if (kx === 'scalar' || kx !== kindOf(y)) return false;
    if (kx === 'array') {
      const xa = x as unknown[];
      const ya = y as unknown[];
      if (xa.length !== ya.length) return false;
      for (let i = 0; i < xa.length; i++) stack.push([xa[i] ?? null, ya[i] ?? null]);
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = Object.keys(xo).filter((k) => xo[k] !== undefined);
    if (keys.length !== Object.keys(yo).filter((k) => yo[k] !== undefined).length) return false;
    for (const k of keys) {
      if (!Object.hasOwn(yo, k)) return false;
      stack.push([xo[k], yo[k]]);
    }
  }
  return true;
}

/** The paths where `before` and `after` differ, bounded by depth and count. */
export function diffJson(
  before: unknown,
  after: unknown,
  limits: { maxDepth?: number; maxPaths?: number } = {},
): JsonDiffResult {
  const maxDepth = limits.maxDepth ?? JSON_DIFF_MAX_DEPTH;
  const maxPaths = limits.maxPaths ?? JSON_DIFF_MAX_PATHS;
  const changes: JsonPathChange[] = [];
  let truncated = false;

  const push = (change: JsonPathChange): boolean => {
    if (changes.length >= maxPaths) {
      truncated = true;
      return false;
    }
    changes.push(change);
    return true;
  };

  // Returns false once the path budget is spent, so every level stops walking.
  const walk = (a: unknown, b: unknown, path: string, depth: number): boolean => {
    if (a === undefined && b === undefined) return true;
    if (a === undefined) return push({ path, kind: 'added', after: b });
    if (b === undefined) return push({ path, kind: 'removed', before: a });
    const ka = kindOf(a);
    const kb = kindOf(b);
    if (ka !== kb || ka === 'scalar' || depth >= maxDepth) {
      if (jsonEqual(a, b)) return true;
      return push({ path, kind: 'changed', before: a, after: b });
    }
    if (ka === 'array') {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.max(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const ai = i < xa.length ? (xa[i] ?? null) : undefined;
        const bi = i < xb.length ? (xb[i] ?? null) : undefined;
        if (!walk(ai, bi, child(path, i), depth + 1)) return false;
      }
      return true;
    }
    const oa = a as Record<string, unknown>;
    const ob = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort(sortKeys);
    for (const key of keys) {
      const av = Object.hasOwn(oa, key) ? oa[key] : undefined;
      const bv = Object.hasOwn(ob, key) ? ob[key] : undefined;
      if (!walk(av, bv, child(path, key), depth + 1)) return false;
    }
    return true;
  };

  walk(before, after, '$', 0);
  return { changes, truncated };
}
