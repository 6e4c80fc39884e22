/**
 * Targets applied concurrently with a bound (issue 16): items of one key (one host) run one after
 * another in order, different keys run at once, never more than the limit, and a slow key does
 * not hold up the others.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eachByKey } from '../../src/engine/each-by-key.js';

// The slow item ends only once b1, c1 and d1 have ended (a gate, not a longer sleep, so a loaded
// machine cannot reorder it): if the others waited for the slow key, the gate would never open and
// the test would fail on its timeout.
test('one key in order, keys at once up to the limit, a slow key holds no other back', {
  timeout: 20_000,
}, async () => {
  let openGate = () => {};
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  const gatedOn = new Set(['b1', 'c1', 'd1']);
  const items = [
    { key: 'slow', id: 's1', ms: 0 },
    { key: 'a', id: 'a1', ms: 10 },
    { key: 'slow', id: 's2', ms: 10 },
    { key: 'a', id: 'a2', ms: 10 },
    { key: 'b', id: 'b1', ms: 10 },
    { key: 'c', id: 'c1', ms: 10 },
    { key: 'd', id: 'd1', ms: 10 },
  ];
  const log: string[] = [];
  let running = 0;
  let peak = 0;
  const perKey = new Map<string, number>();
  await eachByKey(
    items,
    (i) => i.key,
    3,
    async (i) => {
      running++;
      peak = Math.max(peak, running);
      perKey.set(i.key, (perKey.get(i.key) ?? 0) + 1);
      assert.equal(perKey.get(i.key), 1, `${i.key} runs one item at a time`);
      log.push(`start ${i.id}`);
      if (i.id === 's1') await gate;
      else await sleep(i.ms);
      log.push(`end ${i.id}`);
      gatedOn.delete(i.id);
      if (gatedOn.size === 0) openGate();
      perKey.set(i.key, perKey.get(i.key)! - 1);
      running--;
    },
  );
  assert.equal(peak, 3);
  assert.ok(log.indexOf('end s1') < log.indexOf('start s2'), 'same key in order');
  assert.ok(log.indexOf('end a1') < log.indexOf('start a2'));
  for (const other of ['b1', 'c1', 'd1'])
    assert.ok(log.indexOf(`end ${other}`) < log.indexOf('end s1'), `${other} did not wait for the slow key`);
  assert.equal(log.filter((l) => l.startsWith('end')).length, items.length);
});

test('no items, or a limit below one, still finishes', async () => {
  await eachByKey(
    [],
    () => 'x',
    4,
    async () => assert.fail('nothing to run'),
  );
  const seen: number[] = [];
  await eachByKey([1, 2], String, 0, async (n) => {
    seen.push(n);
  });
  assert.deepEqual(seen, [1, 2]);
});
