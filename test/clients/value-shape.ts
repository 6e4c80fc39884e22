/**
 * A parsed value as comparable data: own entries in order, and prototypes compared by their shape
 * (each parse makes its own prototype objects), so tests of the JSON readers can tell a `__proto__`
 * key kept as data from one that set a prototype.
 */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  return {
    entries: Object.entries(value).map(([k, v]) => [k, shape(v)]),
    proto: proto === Object.prototype ? 'Object.prototype' : shape(proto),
  };
}
