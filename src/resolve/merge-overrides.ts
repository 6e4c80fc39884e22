/**
 * Environment overlays: `overrides` deep-merged onto a Server spec. Objects merge key by key,
 * arrays (args, secrets, dependsOn, expectTools) replace, and `null` deletes a key.
 */
import type { ServerSpec } from '../core/resources.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
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
