import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, toolsHash } from '../../src/verify/tools-hash.js';

test('canonical JSON sorts keys at every depth and keeps array order', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
  );
});

test('toolsHash: same tools in any order or key order hash alike; a schema change or a description does not hide', () => {
  const a = { name: 'a', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } };
  const b = { name: 'b', inputSchema: { properties: {}, type: 'object' } };
  const aReordered = { inputSchema: { properties: { x: { type: 'string' } }, type: 'object' }, name: 'a' };
  assert.equal(toolsHash([a, b]), toolsHash([b, aReordered]));
  assert.equal(toolsHash([a, b]), toolsHash([{ ...a, description: 'reworded' } as typeof a, b]));
  assert.notEqual(
    toolsHash([a, b]),
    toolsHash([{ ...a, inputSchema: { type: 'object', properties: { x: { type: 'number' } } } }, b]),
  );
  assert.notEqual(toolsHash([a, b]), toolsHash([a]));
  assert.match(toolsHash([]), /^[0-9a-f]{64}$/);
});
