import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coalescingRunner } from '../../src/watch/coalescing-runner.js';

test('requests made while a batch runs are merged into one next batch', async () => {
  const batches: string[][] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const runner = coalescingRunner<string>(
    async (batch) => {
      batches.push([...batch].sort());
      if (batches.length === 1) await gate;
    },
    () => assert.fail('no errors expected'),
  );
  runner.request('validate', 'revision');
  for (let i = 0; i < 50; i++) runner.request(i % 2 ? 'drift' : 'revision');
  runner.request('validate');
  release();
  await runner.idle();
  assert.deepEqual(batches, [
    ['revision', 'validate'],
    ['drift', 'revision', 'validate'],
  ]);
});

test('a failing batch is reported and the runner keeps going', async () => {
  const errors: unknown[] = [];
  const ran: string[] = [];
  const runner = coalescingRunner<string>(
    async (batch) => {
      ran.push(...batch);
      if (batch.has('bad')) throw new Error('boom');
    },
    (err) => errors.push(err),
  );
  runner.request('bad');
  await runner.idle();
  runner.request('good');
  await runner.idle();
  assert.deepEqual(ran, ['bad', 'good']);
  assert.equal((errors[0] as Error).message, 'boom');
});
