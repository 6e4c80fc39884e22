import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decide,
  type LeaseRecord,
  leaseExpiresAt,
  mayAct,
  timingProblem,
} from '../../../src/serve/leader/lease-decision.js';

const T = 1_800_000_000_000;
const held = (holder: string, renewTime: number, transitions = 3): LeaseRecord => ({
  holder,
  leaseDurationSeconds: 15,
  acquireTime: T - 60_000,
  renewTime,
  transitions,
});
const me = 'pod-a_1234';

describe('lease decisions', () => {
  test('no Lease: acquire it with no transitions', () => {
    assert.deepEqual(decide({ lease: undefined, now: T, me, leaseDurationSeconds: 15 }), {
      action: 'acquire',
      record: { holder: me, leaseDurationSeconds: 15, acquireTime: T, renewTime: T, transitions: 0 },
    });
  });

  test('ours: renew, keeping the acquire time and the transitions', () => {
    const d = decide({ lease: held(me, T - 2000), now: T, me, leaseDurationSeconds: 15 });
    assert.deepEqual(d, { action: 'renew', record: { ...held(me, T), renewTime: T } });
  });

  test("someone else's valid lease: follow until renewTime + duration", () => {
    const d = decide({ lease: held('pod-b_99', T - 14_000), now: T, me, leaseDurationSeconds: 15 });
    assert.deepEqual(d, { action: 'follow', holder: 'pod-b_99', expiresAt: T + 1000 });
  });

  test('exactly at expiry it is still held; a millisecond after, it is taken with one more transition', () => {
    const lease = held('pod-b_99', T - 15_000);
    assert.equal(decide({ lease, now: T, me, leaseDurationSeconds: 15 }).action, 'follow');
    assert.deepEqual(decide({ lease, now: T + 1, me, leaseDurationSeconds: 15 }), {
      action: 'acquire',
      record: { holder: me, leaseDurationSeconds: 15, acquireTime: T + 1, renewTime: T + 1, transitions: 4 },
    });
  });

  test('released (empty holder): taken at once, even with a fresh renew time', () => {
    const d = decide({ lease: held('', T), now: T, me, leaseDurationSeconds: 15 });
    assert.equal(d.action, 'acquire');
    assert.equal(d.action === 'acquire' && d.record.transitions, 4);
  });

  test('a lease with no times at all has expired', () => {
    assert.equal(leaseExpiresAt({ holder: 'x', leaseDurationSeconds: 15, transitions: 0 }), -Infinity);
    const d = decide({
      lease: { holder: 'x', leaseDurationSeconds: 15, transitions: 0 },
      now: T,
      me,
      leaseDurationSeconds: 15,
    });
    assert.equal(d.action, 'acquire');
  });

  test('the lease duration of the Lease decides expiry, ours is what we write', () => {
    const lease = { ...held('pod-b_99', T - 20_000), leaseDurationSeconds: 30 };
    assert.equal(decide({ lease, now: T, me, leaseDurationSeconds: 15 }).action, 'follow');
  });

  test('a leader acts only within the renew deadline of its last successful write', () => {
    assert.equal(mayAct(undefined, T, 10_000), false);
    assert.equal(mayAct(T - 9_999, T, 10_000), true);
    assert.equal(mayAct(T - 10_000, T, 10_000), false);
  });

  test('timings that would let two replicas act at once are refused', () => {
    assert.equal(
      timingProblem({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 }),
      undefined,
    );
    assert.match(
      timingProblem({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 }) ?? '',
      /renew-deadline must be shorter/,
    );
    assert.match(
      timingProblem({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 9000 }) ?? '',
      /retry-period/,
    );
    assert.match(
      timingProblem({ leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 }) ?? '',
      /whole seconds/,
    );
  });
});
