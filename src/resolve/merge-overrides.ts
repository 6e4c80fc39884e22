/**
 * Environment overlays: `overrides` deep-merged onto a Server spec. Objects merge key by key,
 * arrays (args, secrets, dependsOn, expectTools) replace, and `null` deletes a key.
 */
import type { ServerSpec } from '../core/resources.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A deep copy. Parsed YAML is plain objects, arrays and scalars: copied by hand, which is several
 * times faster than structuredClone (the merge runs for every overridden server of every
 * environment); anything else (a Date from a YAML timestamp) still goes through structuredClone.
 */
function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = clone((value as Record<string, unknown>)[key]);
    // A "__proto__" key stays an own property, as structuredClone keeps it.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out as T;
}

export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (overlay === undefined) return clone(base);
  if (!isPlainObject(overlay) || !isPlainObject(base)) return clone(overlay);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) out[key] = clone(value);
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete out[key];
    else out[key] = deepMerge(out[key], value);
  }
  return out;
}

/** The merged spec. Without overrides it is `base` itself: treat the result as read-only. */
export function mergeServerSpec(base: ServerSpec, overrides: unknown): ServerSpec {
  if (overrides === undefined || overrides === null) return base;
  return deepMerge(base, overrides) as ServerSpec;
}
