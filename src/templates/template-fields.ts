/**
 * Which string fields are templates: every string leaf of a Server spec (or an environment's
 * overrides of one) and of a target's settings, except identifiers that other checks rely on.
 * `validate` checks exactly these fields and `resolve` renders exactly these fields.
 */
export type FieldPath = (string | number)[];
export type TemplateScope = 'server' | 'target';

function isExcluded(scope: TemplateScope, path: FieldPath): boolean {
  const [first, second, third] = path;
  if (scope === 'target') return path.length === 1 && (first === 'name' || first === 'provider');
  if (first === 'transport' || first === 'dependsOn') return true;
  if (first === 'package' && second === 'registryType') return true;
  if (first === 'secrets' && third === 'name') return true;
  return false;
}

/** Calls `visit` for every templated string leaf (whether or not it contains `{{`). */
export function forEachTemplateField(
  value: unknown,
  scope: TemplateScope,
  visit: (path: FieldPath, text: string) => void,
  path: FieldPath = [],
): void {
  if (typeof value === 'string') {
    if (!isExcluded(scope, path)) visit(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      forEachTemplateField(item, scope, visit, [...path, i]);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) forEachTemplateField(item, scope, visit, [...path, key]);
  }
}

/** A copy of `value` with every templated string leaf replaced by `render(text, path)`. */
export function mapTemplateFields<T>(
  value: T,
  scope: TemplateScope,
  render: (text: string, path: FieldPath) => string,
  path: FieldPath = [],
): T {
  if (typeof value === 'string') return (isExcluded(scope, path) ? value : render(value, path)) as T;
  if (Array.isArray(value))
    return value.map((item, i) => mapTemplateFields(item, scope, render, [...path, i])) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = mapTemplateFields(item, scope, render, [...path, key]);
    return out as T;
  }
  return value;
}
