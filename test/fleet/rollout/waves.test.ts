/** Wave membership: sizes without float noise, cumulative waves, a new order per digest. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rolloutOrder, waveLabel, waveMembers, waveSize } from '../../../src/fleet/rollout/waves.js';

test('a wave covers ceil(fraction x N) machines, float noise aside, at least one', () => {
  assert.equal(waveSize(0.05, 20), 1); // 0.05 * 20 = 1.0000000000000002
  assert.equal(waveSize(0.1, 30), 3); // 3.0000000000000004
  assert.equal(waveSize(0.25, 20), 5);
  assert.equal(waveSize(0.05, 21), 2);
  assert.equal(waveSize(0.05, 1), 1);
  assert.equal(waveSize(1, 7), 7);
  assert.equal(waveSize(0.5, 0), 0);
});

test('waves are cumulative and ordered by sha256(machineId + digest)', () => {
  const ids = Array.from({ length: 40 }, (_, i) => `m-${i}`);
  const w0 = waveMembers(ids, 'aaa', [0.05, 0.25, 1], 0);
  const w1 = waveMembers(ids, 'aaa', [0.05, 0.25, 1], 1);
  const w2 = waveMembers(ids, 'aaa', [0.05, 0.25, 1], 2);
  assert.equal(w0.size, 2);
  assert.equal(w1.size, 10);
  assert.equal(w2.size, 40);
  for (const id of w0) assert.ok(w1.has(id));
  for (const id of w1) assert.ok(w2.has(id));
  // The order is the input's no matter how it is listed, and another digest shuffles it anew.
  assert.deepEqual(rolloutOrder([...ids].reverse(), 'aaa'), rolloutOrder(ids, 'aaa'));
  assert.notDeepEqual(rolloutOrder(ids, 'bbb'), rolloutOrder(ids, 'aaa'));
  assert.equal(waveLabel([0.05, 0.25, 1], 1), 'wave 1 (25%)');
});
