/**
 * serializeReport sorts each key list once per shape: the bytes must be those of sorting every
 * object on its own (the reference below is the straightforward version it replaced), on seeded
 * reports whose objects repeat shapes, mix known and unknown keys, hold integer-like keys, keys
 * with NUL or quotes, undefined values, and free-order areas (facts, before, after).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TargetReport } from '../../src/core/report.js';
import { inOrder, serializeReport } from '../../src/report/serialize-report.js';

const KNOWN = [
  'apiVersion',
  'kind',
  'server',
  'name',
  'version',
  'health',
  'status',
  'reason',
  'path',
  'before',
];
const ODD = ['zeta', 'alpha', '10', '2', 'a\u0000b', 'a', 'b', 'x"y', 'facts', 'after', 'Before'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function value(r: () => number, depth: number, shapes: string[][], pool = [...KNOWN, ...ODD]): unknown {
  const k = r();
  if (depth > 3 || k < 0.3) return k < 0.05 ? undefined : k < 0.1 ? null : Math.floor(k * 100);
  if (k < 0.45) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1, shapes, pool));
  // Often reuse a shape (as a report's entries do), sometimes make a new one.
  let keys = shapes[Math.floor(r() * shapes.length)];
  if (!keys || r() < 0.3) {
    keys = Array.from(
      { length: 1 + Math.floor(r() * 6) },
      () => pool[Math.floor(r() * pool.length)] as string,
    );
    shapes.push(keys);
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = value(r, depth + 1, shapes, pool);
  return out;
}

// The order before shapes were remembered.
const ORDER_OF = (source: string) => {
  const list = source.match(/const ORDER = \[([\s\S]*?)\];/)?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1] as string);
};

test('the bytes of sorting every object on its own', async () => {
  const fs = await import('node:fs');
  const order = ORDER_OF(
    fs.readFileSync(new URL('../../src/report/serialize-report.ts', import.meta.url), 'utf8'),
  );
  assert.ok(order.length > 50);
  const rank = (k: string) => (order.indexOf(k) === -1 ? order.length : order.indexOf(k));
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const reference = (v: unknown, free = false): unknown => {
    if (Array.isArray(v)) return v.map((x) => reference(x, free));
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v).sort((a, b) => (free ? compare(a, b) : rank(a) - rank(b) || compare(a, b)));
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const x = (v as Record<string, unknown>)[key];
      if (x !== undefined)
        out[key] = reference(x, free || key === 'facts' || key === 'before' || key === 'after');
    }
    return out;
  };
  let inOrderAlready = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    const shapes: string[][] = [];
    // Every other seed without integer-like keys, which objects enumerate first whatever the order.
    const pool = [...KNOWN, ...ODD].filter((key) => seed % 2 === 1 || !/^\d+$/.test(key));
    const report = {
      apiVersion: 'mcp-gitops/v1',
      kind: 'TargetReport',
      facts: value(r, 1, shapes, pool),
      inventory: Array.from({ length: 20 }, () => value(r, 0, shapes, pool)),
      runs: Array.from({ length: 5 }, () => value(r, 0, shapes, pool)),
    } as unknown as TargetReport;
    const text = `${JSON.stringify(reference(report), null, 2)}\n`;
    assert.equal(serializeReport(report), text, `seed ${seed}`);
    // In order already (a copy sorted as the reference sorts, or the text read back): stringified
    // as it is, to the same bytes.
    const back = JSON.parse(text) as TargetReport;
    if (inOrder(back)) inOrderAlready++;
    assert.equal(serializeReport(back), text, `seed ${seed}, read back`);
    assert.equal(serializeReport(reference(report) as TargetReport), text, `seed ${seed}, sorted copy`);
  }
  assert.ok(inOrderAlready > 100, `${inOrderAlready} of 300 read-back reports were in order`);
  assert.equal(inOrder({ b: 1, a: 2 }), false);
  assert.equal(inOrder({ server: 'a', name: 'b' }), true);
  assert.equal(inOrder({ facts: { b: 1, a: 2 } }), false);
  assert.equal(inOrder({ facts: { a: 1, server: 2 } }), true, 'free order inside facts');
  assert.equal(inOrder({ when: new Date(0) }), false, 'not plain data');
});
