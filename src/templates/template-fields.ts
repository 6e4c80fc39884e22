/**
 * Which string fields are templates: every string leaf of a Server spec (or an environment's
 * overrides of one) and of a target's settings, except identifiers that other checks rely on.
 * `validate` checks exactly these fields and `resolve` renders exactly these fields.
 * The `path` handed to callbacks is live (it changes as the walk goes on): copy it to keep it.
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
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      forEachTemplateField(value[i], scope, visit, path);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      path.push(key);
      forEachTemplateField((value as Record<string, unknown>)[key], scope, visit, path);
      path.pop();
    }
  }
}

/**
 * `value` with every templated string leaf replaced by `render(text, path)`. Subtrees without a
 * template are shared with the input, not copied: treat the result as read-only.
 */
export function mapTemplateFields<T>(
  value: T,
  scope: TemplateScope,
  render: (text: string, path: FieldPath) => string,
  path: FieldPath = [],
): T {
  if (typeof value === 'string') {
    return (value.includes('{{') && !isExcluded(scope, path) ? render(value, path) : value) as T;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const item = mapTemplateFields(value[i], scope, render, path);
      path.pop();
      if (item !== value[i]) out ??= value.slice(0, i);
      if (out) out.push(item);
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      path.push(key);
      const item = mapTemplateFields(record[key], scope, render, path);
      path.pop();
      if (item !== record[key]) out ??= { ...record };
      if (out) out[key] = item;
    }
    return (out ?? value) as T;
  }
  return value;
}
