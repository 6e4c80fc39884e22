/**
 * `canonicalJson` writes the canonical JSON in one pass: it must be exactly
 * `JSON.stringify(canonicalize(value))` for every value, including the corners (array-index keys,
 * which JavaScript enumerates first; nested empties; holes; numbers JSON cannot hold).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalize, canonicalJson } from '../../src/plan/canonical.js';

const reference = (value: unknown) => {
  const c = canonicalize(value);
  return c === undefined ? '' : JSON.stringify(c);
};

describe('canonicalJson', () => {
  test('corners', () => {
    const sparse: unknown[] = [];
    sparse[2] = 1;
    const cases: unknown[] = [
      undefined,
      null,
      {},
      [],
      { a: {}, b: [], c: undefined, d: () => 1, e: Symbol('s') },
      { '10': 1, '9': 2, b: 3, a: 4, '01': 5, '-1': 6, '4294967295': 7, '4294967294': 8, '': 9 },
      [undefined, {}, [], null, Number.NaN, -0, Number.POSITIVE_INFINITY],
      sparse,
      { nested: { deeper: { deepest: {} } }, keep: { x: [{}] } },
      'text "quoted" \u2028',
      new Date(0),
      new Map([['a', 1]]),
    ];
    for (const value of cases) assert.equal(canonicalJson(value), reference(value), String(value));
    assert.equal(canonicalJson({ b: 1, a: 2 }), '{"a":2,"b":1}');
  });

  test('generated values', () => {
    let seed = 11;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const keys = ['a', 'B', '1', '10', '2', 'x.y', '', 'é'];
    const gen = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.4) return [1, 'a', true, null, undefined, 0, '', -2.5][Math.floor(rnd() * 8)];
      if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(rnd() * 5); i++)
        o[keys[Math.floor(rnd() * keys.length)] as string] = gen(depth + 1);
      return o;
    };
    for (let i = 0; i < 5000; i++) {
      const value = gen(0);
      assert.equal(canonicalJson(value), reference(value), JSON.stringify(value));
    }
  });
});
