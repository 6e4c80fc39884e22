/** How `status` prints a fleet aggregate: counts, a progressing rollout and why it waits, machines by release. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeAggregate } from '../../../src/fleet/aggregate/describe.js';

test('a progressing rollout shows its open wave and why it waits', () => {
  assert.deepEqual(
    describeAggregate({
      environment: 'dev',
      target: 'laptops',
      machines: 1,
      inSync: 0,
      drifted: 1,
      failing: 0,
      stale: 0,
      pending: 0,
      byDigest: { '0123456789ab': { count: 1 } },
      rollout: {
        state: 'progressing',
        wave: 0,
        waves: [0.05, 1],
        reason: 'wave 0 (5%): 0 of 1 reporting machines in sync, 95% needed',
      },
    }),
    [
      'dev/laptops [fleet, 1 machine]: 0 in sync, 1 drifted, 0 failing, 0 stale',
      '  rollout progressing: wave 0 (5%) open (waves 5%, 100%)',
      '  waiting: wave 0 (5%): 0 of 1 reporting machines in sync, 95% needed',
      '  unknown release (0123456789ab): 1 machine',
    ],
  );
});
