import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  decide,
  type LeaseRecord,
  mayAct,
  recordKey,
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
    assert.deepEqual(decide({ lease: undefined, now: T, me, leaseDurationSeconds: 15, unchangedForMs: 0 }), {
      action: 'acquire',
      record: { holder: me, leaseDurationSeconds: 15, acquireTime: T, renewTime: T, transitions: 0 },
    });
  });

  test('ours: renew, keeping the acquire time and the transitions', () => {
    const d = decide({
      lease: held(me, T - 2000),
      now: T,
      me,
      leaseDurationSeconds: 15,
      unchangedForMs: 2000,
    });
    assert.deepEqual(d, { action: 'renew', record: { ...held(me, T), renewTime: T } });
  });

  test("someone else's lease: follow until it has read the same for its duration, by our clock", () => {
    const d = decide({
      lease: held('pod-b_99', T - 14_000),
      now: T,
      me,
      leaseDurationSeconds: 15,
      unchangedForMs: 14_000,
    });
    assert.deepEqual(d, { action: 'follow', holder: 'pod-b_99', expiresInMs: 1000 });
  });

  test('exactly at expiry it is still held; a millisecond after, it is taken with one more transition', () => {
    const lease = held('pod-b_99', T - 15_000);
    const at = (unchangedForMs: number) =>
      decide({ lease, now: T, me, leaseDurationSeconds: 15, unchangedForMs });
    assert.equal(at(15_000).action, 'follow');
    assert.deepEqual(at(15_001), {
      action: 'acquire',
      record: { holder: me, leaseDurationSeconds: 15, acquireTime: T, renewTime: T, transitions: 4 },
    });
  });

  test("the holder's renewTime is not compared with our wall clock (clock skew cannot take a live lease)", () => {
    // The holder's clock is an hour behind ours: by wall clocks its lease expired long ago, but we
    // saw it renewed just now, so it is live.
    const skewed = held('pod-b_99', T - 3_600_000);
    assert.equal(
      decide({ lease: skewed, now: T, me, leaseDurationSeconds: 15, unchangedForMs: 0 }).action,
      'follow',
    );
    // An hour ahead: by wall clocks it would stay valid for an hour, but it stopped changing 16 s ago.
    const ahead = held('pod-b_99', T + 3_600_000);
    assert.equal(
      decide({ lease: ahead, now: T, me, leaseDurationSeconds: 15, unchangedForMs: 16_000 }).action,
      'acquire',
    );
  });

  test('released (empty holder): taken at once, even when just written', () => {
    const d = decide({ lease: held('', T), now: T, me, leaseDurationSeconds: 15, unchangedForMs: 0 });
    assert.equal(d.action, 'acquire');
    assert.equal(d.action === 'acquire' && d.record.transitions, 4);
  });

  test('a lease with no times lapses after its duration unchanged, like any other', () => {
    const lease = { holder: 'x', leaseDurationSeconds: 15, transitions: 0 };
    assert.equal(decide({ lease, now: T, me, leaseDurationSeconds: 15, unchangedForMs: 0 }).action, 'follow');
    assert.equal(
      decide({ lease, now: T, me, leaseDurationSeconds: 15, unchangedForMs: 15_001 }).action,
      'acquire',
    );
  });

  test('the lease duration of the Lease decides expiry, ours is what we write', () => {
    const lease = { ...held('pod-b_99', T - 20_000), leaseDurationSeconds: 30 };
    assert.equal(
      decide({ lease, now: T, me, leaseDurationSeconds: 15, unchangedForMs: 20_000 }).action,
      'follow',
    );
  });

  test('a renewal changes the record key; an annotation (a recorded push) cannot, as it is not in the record', () => {
    const a = held('pod-b_99', T);
    assert.notEqual(recordKey(a), recordKey({ ...a, renewTime: T + 2000 }));
    assert.notEqual(recordKey(a), recordKey({ ...a, holder: 'pod-c_1' }));
    assert.notEqual(recordKey(a), recordKey({ ...a, transitions: 4 }));
    assert.equal(recordKey(a), recordKey({ ...a }));
    assert.equal(recordKey(undefined), '');
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
