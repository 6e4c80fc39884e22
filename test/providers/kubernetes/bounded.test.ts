/** Pure: `bounded` never has more than its limit in flight, starts tasks in queue order and passes failures through. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bounded } from '../../../src/providers/kubernetes/bounded.js';

describe('bounded', () => {
  test('at most the limit in flight, every slot used, started in queue order', async () => {
    const run = bounded(3);
    let inFlight = 0;
    let most = 0;
    const starts: number[] = [];
    const tasks = Array.from({ length: 20 }, (_, i) =>
      run(async () => {
        starts.push(i);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1 + ((i * 7) % 5)));
        inFlight--;
        return i;
      }),
    );
    assert.deepEqual(await Promise.all(tasks), [...Array(20).keys()]);
    assert.equal(most, 3);
    assert.deepEqual(starts, [...Array(20).keys()]);
  });

  test('a failing task rejects its own promise and frees its slot', async () => {
    const run = bounded(1);
    const failed = run(async () => {
      throw new Error('boom');
    });
    const next = run(async () => 'next');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'next');
  });

  test('the limit must be a positive integer', () => {
    assert.throws(() => bounded(0), RangeError);
  });
});
