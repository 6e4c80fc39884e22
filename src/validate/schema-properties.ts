/** The property names a schema node declares, following local `$ref`s and `allOf` branches. */
import type { JsonSchema } from './schema-sources.js';

function resolvePointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null ? (node as JsonSchema) : undefined;
}

export function declaredProperties(schema: JsonSchema, root: JsonSchema, depth = 0): string[] {
  if (depth > 8) return [];
  const names = new Set<string>();
  const props = schema.properties;
  if (typeof props === 'object' && props !== null) for (const k of Object.keys(props)) names.add(k);
  if (typeof schema.$ref === 'string') {
    const target = resolvePointer(root, schema.$ref);
    if (target) for (const k of declaredProperties(target, root, depth + 1)) names.add(k);
  }
  return [...names].sort();
}
