import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jittered, onTick, TICK_MS, WAKE_SLACK_MS } from '../../../src/fleet/agent/schedule.js';

test('passes are jittered by at most ±10%', () => {
  assert.equal(jittered(300_000, 0), 270_000);
  assert.equal(jittered(300_000, 0.5), 300_000);
  assert.equal(jittered(300_000, 0.999999), 330_000);
});

test('a tick much later than due is a wake from sleep; otherwise due or wait', () => {
  const now = 1_000_000;
  assert.equal(onTick({ lastTick: now - TICK_MS, nextDue: now + 60_000 }, now), 'wait');
  assert.equal(onTick({ lastTick: now - TICK_MS, nextDue: now }, now), 'due');
  assert.equal(onTick({ lastTick: now - TICK_MS - WAKE_SLACK_MS - 1, nextDue: now + 200_000 }, now), 'woke');
  // Slightly late (a busy laptop) is not a wake.
  assert.equal(onTick({ lastTick: now - TICK_MS - WAKE_SLACK_MS, nextDue: now + 200_000 }, now), 'wait');
});
