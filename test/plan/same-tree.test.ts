/**
 * `sameTree` is the shortcut every in-sync comparison of a plan takes: when it says two values are
 * the same, their canonical JSON must be the same (it may say no where canonical JSON says yes,
 * and then the callers compare canonical JSON). Checked on generated pairs, many of them equal
 * copies in another key order, and on the corners.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalEqual, canonicalJson, sameTree } from '../../src/plan/canonical.js';
import { diffFields } from '../../src/plan/diff-fields.js';

describe('sameTree', () => {
  test('never says same where canonical JSON differs', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const keys = ['a', 'B', '1', '10', 'x.y', '', 'env'];
    const leaves = [1, 'a', true, null, undefined, 0, -0, '', Number.NaN, '1'];
    const gen = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.4) return leaves[Math.floor(rnd() * leaves.length)];
      if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 3) }, () => gen(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(rnd() * 4); i++)
        o[keys[Math.floor(rnd() * keys.length)] as string] = gen(depth + 1);
      return o;
    };
    // A copy with keys in reverse order, and sometimes one leaf changed.
    const copy = (value: unknown, mutate: boolean): unknown => {
      if (Array.isArray(value)) return value.map((v) => copy(v, mutate));
      if (value === null || typeof value !== 'object') return mutate && rnd() < 0.2 ? gen(3) : value;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value).reverse())
        out[k] = copy((value as Record<string, unknown>)[k], mutate);
      return out;
    };
    let same = 0;
    for (let i = 0; i < 5000; i++) {
      const a = gen(0);
      const b = i % 3 === 0 ? gen(0) : copy(a, i % 3 === 1);
      const canonical = canonicalJson(a) === canonicalJson(b);
      if (sameTree(a, b)) {
        same++;
        assert.ok(canonical, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
      assert.equal(canonicalEqual(a, b), canonical);
      assert.equal(diffFields(a, b).length === 0, canonical, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    assert.ok(same > 1500, `the shortcut answered ${same} of 5000`);
  });

  test('corners', () => {
    const hidden = { x: 1 };
    Object.defineProperty(hidden, 'y', { value: 1, enumerable: false });
    assert.equal(sameTree({ x: 1, y: 1 }, hidden), false);
    assert.equal(sameTree({ a: undefined }, {}), false);
    assert.equal(canonicalEqual({ a: undefined }, {}), true);
    assert.equal(sameTree([1], { 0: 1 }), false);
    assert.equal(sameTree({ 0: 1 }, [1]), false);
    assert.equal(sameTree(Number.NaN, Number.NaN), false);
    assert.equal(canonicalEqual(Number.NaN, null), true);
    assert.equal(sameTree({ b: [1, { c: 'd' }], a: 2 }, { a: 2, b: [1, { c: 'd' }] }), true);
  });
});
