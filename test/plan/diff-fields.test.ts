import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalEqual } from '../../src/plan/canonical.js';
import { diffFields } from '../../src/plan/diff-fields.js';

describe('diffFields', () => {
  test('dotted paths for nested objects, before/after values', () => {
    assert.deepEqual(diffFields({ env: { LOG_LEVEL: 'info' } }, { env: { LOG_LEVEL: 'debug' } }), [
      { path: 'env.LOG_LEVEL', before: 'info', after: 'debug' },
    ]);
  });

  test('index paths for plain arrays, additions and removals', () => {
    assert.deepEqual(diffFields({ entry: { args: ['a', 'b'] } }, { entry: { args: ['a', 'c', 'd'] } }), [
      { path: 'entry.args[1]', before: 'b', after: 'c' },
      { path: 'entry.args[2]', after: 'd' },
    ]);
  });

  test('arrays of named objects are keyed by name', () => {
    const before = {
      secrets: [
        { name: 'A', ref: 'env:A' },
        { name: 'B', ref: 'env:B' },
      ],
    };
    const after = {
      secrets: [
        { name: 'A', ref: 'env:X' },
        { name: 'C', ref: 'env:C' },
      ],
    };
    assert.deepEqual(diffFields(before, after), [
      { path: 'secrets[A].ref', before: 'env:A', after: 'env:X' },
      { path: 'secrets[C]', after: { ref: 'env:C' } },
      { path: 'secrets[B]', before: { ref: 'env:B' } },
    ]);
  });

  test('a reordered named list is still a difference', () => {
    const a = [{ name: 'A' }, { name: 'B' }];
    const diffs = diffFields({ s: a }, { s: [...a].reverse() });
    assert.equal(diffs.length, 1);
    assert.equal(diffs[0]?.path, 's');
  });

  test('key order, undefined and empty containers are not differences', () => {
    assert.deepEqual(
      diffFields({ a: 1, b: { c: 2 }, env: {}, args: [] }, { b: { c: 2 }, a: 1, x: undefined }),
      [],
    );
    assert.ok(canonicalEqual({ a: 1, b: undefined }, { a: 1 }));
    assert.ok(!canonicalEqual({ a: 1 }, { a: '1' }));
  });

  test('keys that are not identifiers are quoted; a field appearing shows field by field', () => {
    assert.deepEqual(diffFields({}, { headers: { 'x.y': 'v' } }), [{ path: 'headers["x.y"]', after: 'v' }]);
    assert.deepEqual(diffFields({ running: true }, { running: false }), [
      { path: 'running', before: true, after: false },
    ]);
  });

  test('a type change is one leaf diff', () => {
    assert.deepEqual(diffFields({ port: '3001' }, { port: 3001 }), [
      { path: 'port', before: '3001', after: 3001 },
    ]);
  });

  test('no diff exactly when the canonical forms are equal, for generated pairs of values', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const gen = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.35) return pick([1, '1', 'a', true, null, undefined, 0, '']);
      if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
      if (r < 0.7)
        return Array.from({ length: Math.floor(rnd() * 3) }, () => ({
          name: pick(['A', 'B']),
          v: gen(depth + 1),
        }));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(rnd() * 4); i++) o[pick(['a', 'b', '1', 'x.y', 'env'])] = gen(depth + 1);
      return o;
    };
    let equalPairs = 0;
    for (let i = 0; i < 5000; i++) {
      const a = gen(0);
      // Half the pairs share most of their structure, so equal and nearly equal pairs both occur.
      const b = rnd() < 0.5 ? gen(0) : JSON.parse(JSON.stringify({ v: a })).v;
      const same = canonicalEqual(a, b);
      if (same) equalPairs++;
      assert.equal(diffFields(a, b).length === 0, same, JSON.stringify([a, b]));
    }
    assert.ok(equalPairs > 100);
  });
});
