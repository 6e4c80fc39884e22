/** rolloutSpec: a fleet target's `rollout:` as fractions with defaults filled. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { percentFraction, rolloutSpec } from '../../../src/fleet/bundle/rollout-spec.js';

describe('rolloutSpec', () => {
  test('defaults: everything at once, pause on failure, every machine healthy', () => {
    assert.deepEqual(rolloutSpec({}), { waves: [1], pauseOnFailure: true, minHealthy: 1 });
    assert.deepEqual(rolloutSpec({ rollout: {} }), { waves: [1], pauseOnFailure: true, minHealthy: 1 });
  });

  test('percent strings and numbers become fractions', () => {
    assert.deepEqual(
      rolloutSpec({ rollout: { waves: ['5%', 25, '100%'], pauseOnFailure: false, minHealthy: '95%' } }),
      { waves: [0.05, 0.25, 1], pauseOnFailure: false, minHealthy: 0.95 },
    );
    assert.deepEqual(rolloutSpec({ rollout: { waves: ['7%', '12.5%', '100%'] } }).waves, [0.07, 0.125, 1]);
  });

  test('the defaults are not shared between results', () => {
    const a = rolloutSpec({});
    a.waves.push(2);
    assert.deepEqual(rolloutSpec({}).waves, [1]);
  });
});

describe('percentFraction', () => {
  test('(0, 100] only; 0 only when allowed (minHealthy)', () => {
    assert.equal(percentFraction('5%'), 0.05);
    assert.equal(percentFraction(100), 1);
    assert.equal(percentFraction('0%'), undefined);
    assert.equal(percentFraction('0%', true), 0);
    assert.equal(percentFraction('101%'), undefined);
    assert.equal(percentFraction('5'), undefined, 'a string needs its %');
    assert.equal(percentFraction('-5%'), undefined);
    assert.equal(percentFraction(Number.NaN), undefined);
  });
});
