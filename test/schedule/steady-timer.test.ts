/** The steady loop's clock with Node's mock timers: jittered waits, no overlap, kicks. */
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { startSteadyTimer } from '../../src/steady/steady-timer.js';

test('ticks every interval with jitter, never overlapping; a kick runs one now', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const started: number[] = [];
    let release: (() => void) | undefined;
    let now = 0;
    const timer = startSteadyTimer({
      intervalMs: 1000,
      jitter: 0.1,
      random: () => 1, // the longest wait: 1100 ms
      tick: () => {
        started.push(now);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const advance = async (ms: number) => {
      now += ms;
      mock.timers.tick(ms);
      await new Promise((r) => setImmediate(r));
    };
    await advance(1099);
    assert.deepEqual(started, []);
    await advance(1);
    assert.deepEqual(started, [1100]);
    // While the tick runs, neither the clock nor a kick starts another.
    timer.kick();
    await advance(5000);
    assert.deepEqual(started, [1100]);
    release?.();
    await advance(0);
    // The kick that came during the tick runs right after it.
    assert.deepEqual(started, [1100, 6100]);
    release?.();
    await advance(0);
    await advance(1100);
    assert.deepEqual(started, [1100, 6100, 7200]);
    release?.();
    await timer.stop();
    await advance(10_000);
    assert.equal(started.length, 3);
  } finally {
    mock.timers.reset();
  }
});
