/** Coalescing of triggers: pure logic, driven by hand-resolved runs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Coalescer, SerialQueue } from '../../src/schedule/coalescer.js';

/** A run function whose runs finish only when the test says so. */
function controlledRuns<T>() {
  const started: { key: string; value: T; finish: (err?: Error) => void }[] = [];
  const run = (key: string, value: T) =>
    new Promise<void>((resolve, reject) => {
      started.push({ key, value, finish: (err) => (err ? reject(err) : resolve()) });
    });
  return { started, run };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Coalescer', () => {
  test('a burst while a run is going becomes exactly one more run, on the newest value', async () => {
    const { started, run } = controlledRuns<number>();
    const c = new Coalescer(run);
    const first = c.request('dev', 1);
    assert.equal(first.state, 'started');
    await tick();
    const rest = Array.from({ length: 49 }, (_, i) => c.request('dev', i + 2));
    assert.equal(rest[0]?.state, 'queued');
    assert.ok(rest.slice(1).every((r) => r.state === 'merged'));
    assert.equal(started.length, 1);
    started[0]?.finish();
    await first.done;
    await tick();
    assert.equal(started.length, 2);
    assert.equal(started[1]?.value, 50);
    started[1]?.finish();
    await Promise.all(rest.map((r) => r.done));
    await c.idle();
    assert.equal(started.length, 2);
    assert.equal(c.busy(), false);
  });

  test('a request after the pending run started queues another one (nothing is lost)', async () => {
    const { started, run } = controlledRuns<string>();
    const c = new Coalescer(run);
    c.request('dev', 'a');
    await tick();
    c.request('dev', 'b');
    started[0]?.finish();
    await tick();
    assert.equal(started[1]?.value, 'b');
    const late = c.request('dev', 'c');
    assert.equal(late.state, 'queued');
    started[1]?.finish();
    await tick();
    assert.equal(started[2]?.value, 'c');
    started[2]?.finish();
    await late.done;
  });

  test('keys are independent lanes; merge decides what the pending run keeps', async () => {
    const { started, run } = controlledRuns<'push' | 'poll'>();
    const c = new Coalescer(run, { merge: (p, n) => (p === 'push' || n === 'push' ? 'push' : 'poll') });
    c.request('dev', 'poll');
    c.request('prod', 'poll');
    await tick();
    assert.deepEqual(
      started.map((s) => s.key),
      ['dev', 'prod'],
    );
    c.request('dev', 'push');
    c.request('dev', 'poll');
    started[0]?.finish();
    await tick();
    assert.equal(started[2]?.key, 'dev');
    assert.equal(started[2]?.value, 'push', 'a poll does not downgrade a pending push');
    started[1]?.finish();
    started[2]?.finish();
    await c.idle();
  });

  test('a failing run does not wedge the lane; stop drops pending work and waits for the running run', async () => {
    const { started, run } = controlledRuns<number>();
    const errors: unknown[] = [];
    const c = new Coalescer(run, { onError: (_k, e) => errors.push(e) });
    c.request('dev', 1);
    await tick();
    c.request('dev', 2);
    started[0]?.finish(new Error('boom'));
    await tick();
    assert.equal(errors.length, 1);
    assert.equal(started[1]?.value, 2);
    const pending = c.request('dev', 3);
    let stopped = false;
    const stopping = c.stop().then(() => {
      stopped = true;
    });
    await pending.done; // released by stop, never run
    await tick();
    assert.equal(stopped, false, 'stop waits for the running run');
    started[1]?.finish();
    await stopping;
    assert.equal(started.length, 2);
    assert.equal(c.request('dev', 4).state, 'dropped');
  });
});

describe('SerialQueue', () => {
  test('runs one at a time in call order, a failure does not stop the next', async () => {
    const q = new SerialQueue();
    const order: string[] = [];
    let inFlight = 0;
    const job = (name: string, fail = false) =>
      q.run(async () => {
        inFlight++;
        assert.equal(inFlight, 1);
        order.push(name);
        await tick();
        inFlight--;
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([job('a'), job('b', true), job('c')]);
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
  });
});
