/**
 * Which string fields are templates: every string leaf of a Server spec (or an environment's
 * overrides of one) and of a target's settings, except identifiers that other checks rely on.
 * `validate` checks exactly these fields and `resolve` renders exactly these fields.
 * Only leaves that contain `{{` are templates; the others are plain text wherever they appear.
 */
export type FieldPath = (string | number)[];
export type TemplateScope = 'server' | 'target';

function isExcluded(scope: TemplateScope, path: FieldPath): boolean {
  const first = path[0];
  if (scope === 'target') return path.length === 1 && (first === 'name' || first === 'provider');
  if (first === 'transport' || first === 'dependsOn') return true;
  // A Server's update policy is read by `mcp-gitops updates`, never rendered (src/updates/).
  if (first === 'updates') return true;
  if (first === 'package' && path[1] === 'registryType') return true;
  if (first === 'secrets' && path[2] === 'name') return true;
  return false;
}

/** A templated string leaf: its path (a copy, never changed) and its text. */
export interface TemplateField {
  readonly path: readonly (string | number)[];
  readonly text: string;
}

const fieldCache: Record<TemplateScope, WeakMap<object, readonly TemplateField[]>> = {
  server: new WeakMap(),
  target: new WeakMap(),
};

/**
 * The leaves of `value` that hold a template (contain `{{`), found once per object and scope:
 * the same Server spec is rendered for every environment and target that deploys it, and parsed
 * config is never mutated. Treat the result as read-only.
 */
export function templateFields(value: unknown, scope: TemplateScope): readonly TemplateField[] {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' && value.includes('{{') && !isExcluded(scope, [])
      ? [{ path: [], text: value }]
      : [];
  }
  const cache = fieldCache[scope];
  let fields = cache.get(value);
  if (!fields) {
    fields = collectTemplates(value, scope, [], []);
    cache.set(value, fields);
  }
  return fields;
}

/** The leaves that hold a template, in key order; `{{` is checked before the exclusions (most leaves hold none). */
function collectTemplates(
  value: unknown,
  scope: TemplateScope,
  path: FieldPath,
  out: TemplateField[],
): TemplateField[] {
  if (typeof value === 'string') {
    if (value.includes('{{') && !isExcluded(scope, path)) out.push({ path: path.slice(), text: value });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      collectTemplates(value[i], scope, path, out);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      path.push(key);
      collectTemplates((value as Record<string, unknown>)[key], scope, path, out);
      path.pop();
    }
  }
  return out;
}

/** `target[key] = value`, except that a key named `__proto__` stays an own data property. */
function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function shallowCopy(value: object): Record<string | number, unknown> {
  return (Array.isArray(value) ? value.slice() : { ...value }) as Record<string | number, unknown>;
}

/**
 * `value` with every templated string leaf replaced by `render(text, path)`. Only the objects on
 * the way to a template are copied; subtrees without a template are shared with the input: treat
 * the result as read-only.
 */
export function mapTemplateFields<T>(
  value: T,
  scope: TemplateScope,
  render: (text: string, path: FieldPath) => string,
): T {
  const fields = templateFields(value, scope);
  if (fields.length === 0) return value;
  if (value === null || typeof value !== 'object') return render(value as string, []) as T;
  const root = shallowCopy(value);
  const copies = new Map<object, Record<string | number, unknown>>([[value as object, root]]);
  for (const { path, text } of fields) {
    let source = value as Record<string | number, unknown>;
    let target = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      const child = source[key] as object;
      let copy = copies.get(child);
      if (!copy) {
        copy = shallowCopy(child);
        copies.set(child, copy);
      }
      setOwn(target, key, copy); // again for an object that sits at two places
      source = child as Record<string | number, unknown>;
      target = copy;
    }
    setOwn(target, path[path.length - 1]!, render(text, path.slice()));
  }
  return root as T;
}
