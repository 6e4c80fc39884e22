/**
 * Every regular expression in a policy's `assert` schema, with its place in the schema: the
 * `pattern` of any subschema and the keys of `patternProperties`. Only places where JSON Schema
 * 2020-12 (as Ajv compiles it) reads a schema are visited, so a `pattern` inside `const`, `enum`,
 * `default` or `examples` is data, not a pattern. Iterative: no depth limit of its own.
 */
export interface AssertPattern {
  keyword: 'pattern' | 'patternProperties';
  pattern: string;
  /** Inside the assert schema: the `pattern` value, or the `patternProperties` key. */
  path: (string | number)[];
  which: 'key' | 'value';
}

/** Keywords whose value is one subschema. */
const ONE = [
  'not',
  'if',
  'then',
  'else',
  'contains',
  'items',
  'additionalItems',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
];
/** Keywords whose value is a list of subschemas. */
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
/** Keywords whose value maps names to subschemas. */
const BY_NAME = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'dependencies',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assertPatterns(schema: unknown): AssertPattern[] {
  const out: AssertPattern[] = [];
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: schema, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (!isObject(node)) continue;
    if (typeof node.pattern === 'string') {
      out.push({ keyword: 'pattern', pattern: node.pattern, path: [...path, 'pattern'], which: 'value' });
    }
    if (isObject(node.patternProperties)) {
      for (const key of Object.keys(node.patternProperties)) {
        out.push({
          keyword: 'patternProperties',
          pattern: key,
          path: [...path, 'patternProperties', key],
          which: 'key',
        });
      }
    }
    for (const k of ONE) if (isObject(node[k])) stack.push({ node: node[k], path: [...path, k] });
    for (const k of LIST) {
      const list = node[k];
      if (!Array.isArray(list)) continue;
      for (const [i, s] of list.entries()) stack.push({ node: s, path: [...path, k, i] });
    }
    for (const k of BY_NAME) {
      const map = node[k];
      if (!isObject(map)) continue;
      for (const [name, s] of Object.entries(map)) stack.push({ node: s, path: [...path, k, name] });
    }
  }
  return out;
}
