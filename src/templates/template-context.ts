/**
 * What a Handlebars template in a Server or Environment may see (DESIGN.md §2 "Templates").
 * Never secrets: secret values only travel through `secrets:` and are resolved by providers.
 */
export interface TemplateContext {
  vars: Record<string, string>;
  environment: { name: string };
  target: { name: string; host?: string; [setting: string]: unknown };
  server: { name: string; port?: number; path?: string };
}

/** The top-level names a template may start with. */
export const TEMPLATE_ROOTS = ['vars', 'environment', 'target', 'server'] as const;
export type TemplateRoot = (typeof TEMPLATE_ROOTS)[number];

/** Property names that would reach into JavaScript internals; refused in every position. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
]);

/**
 * The prototype of every object a template sees: nothing of `Object.prototype`, only a `toString`
 * so that Handlebars can still print the object in its own error messages.
 */
const TEMPLATE_PROTO: object = Object.freeze(
  Object.create(null, { toString: { value: () => '[object]', enumerable: false } }),
);

/** A template-data object from fields that are already template data (no copy of their contents). */
export function templateObject(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(TEMPLATE_PROTO) as Record<string, unknown>, fields);
}

/**
 * A copy of `value` whose objects do not inherit from `Object.prototype`, so that no template
 * lookup can reach `constructor`, `__proto__` and friends (strict mode reports them as missing).
 */
export function toTemplateData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toTemplateData);
  if (value !== null && typeof value === 'object') {
    const out = Object.create(TEMPLATE_PROTO) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toTemplateData(v);
    }
    return out;
  }
  return value;
}
