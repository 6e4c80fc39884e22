/** The hub's files: check-ins written at most every flushEveryMs and on stop; enrolments at once. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { HubStore, loadOrCreateHubKey, markRevoked, readMachines } from '../../../src/fleet/hub/hub-store.js';
import { NonceCache } from '../../../src/fleet/hub/nonce-cache.js';
import type { MachineRecord } from '../../../src/fleet/rollout/types.js';
import { FACTS } from './hub-harness.js';

function record(machineId: string, lastSeen: number): MachineRecord {
  return {
    machineId,
    environment: 'dev',
    labels: {},
    facts: FACTS,
    publicKey: 'k',
    enrolledAt: 1,
    lastSeen,
    targets: {},
  };
}

test('check-ins are batched: one write per flush interval, the last state wins, stop writes the rest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-store-'));
  try {
    const store = new HubStore({ dir, flushEveryMs: 300 });
    const id = `m-${'a'.repeat(24)}`;
    store.put(record(id, 1), 'now');
    assert.equal(readMachines(dir)[0]?.lastSeen, 1);
    store.put(record(id, 2), 'soon');
    store.put(record(id, 3), 'soon');
    assert.equal(readMachines(dir)[0]?.lastSeen, 1, 'not yet');
    await sleep(600);
    assert.equal(readMachines(dir)[0]?.lastSeen, 3, 'written once the interval passed');
    store.put(record(id, 4), 'soon');
    store.stop();
    assert.equal(readMachines(dir)[0]?.lastSeen, 4, 'stop writes what is pending');
    assert.equal(new HubStore({ dir }).get(id)?.lastSeen, 4, 'a new store reads it back');
    assert.equal(fs.statSync(path.join(dir, 'machines.json')).mode & 0o777, 0o600);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary files left',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the hub key is made once and kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-key-'));
  try {
    const first = loadOrCreateHubKey(dir);
    assert.deepEqual(loadOrCreateHubKey(dir), first);
    assert.equal(fs.statSync(path.join(dir, 'hub-key.pem')).mode & 0o777, 0o600);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('nonces: a repeat inside the window is refused, old ones are forgotten, memory is capped', () => {
  const cache = new NonceCache(1_000, 3);
  assert.equal(cache.remember('m', 'n1', 0, 0), true);
  assert.equal(cache.remember('m', 'n1', 0, 500), false);
  assert.equal(cache.remember('other', 'n1', 0, 500), true, 'per machine');
  assert.equal(cache.remember('m', 'n2', 2_000, 2_000), true);
  assert.equal(cache.size, 1, 'entries older than the window dropped');
  for (const n of ['a', 'b', 'c', 'd']) cache.remember('m', n, 2_000, 2_000);
  assert.equal(cache.size, 3);
});

test('named documents (the rollouts) are kept beside the machines, 0600, and never clobber them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-doc-'));
  try {
    const store = new HubStore({ dir });
    assert.equal(store.readDocument('rollouts'), undefined);
    store.writeDocument('rollouts', { schema: 'x', targets: [1] });
    assert.deepEqual(new HubStore({ dir }).readDocument('rollouts'), { schema: 'x', targets: [1] });
    assert.equal(fs.statSync(path.join(dir, 'rollouts.json')).mode & 0o777, 0o600);
    assert.throws(() => store.writeDocument('machines', {}));
    assert.throws(() => store.writeDocument('../escape', {}));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a revocation marker written beside a running hub is recorded on the machine within a second', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-revoke-'));
  try {
    let now = 10_000;
    const store = new HubStore({ dir, now: () => now, flushEveryMs: 0 });
    const id = `m-${'b'.repeat(24)}`;
    store.put(record(id, 1), 'now');
    assert.equal(store.all()[0]?.revokedAt, undefined);
    markRevoked(dir, id, Date.parse('2026-12-05T06:00:00Z'));
    assert.equal(store.all()[0]?.revokedAt, undefined, 'not looked at again within the second');
    now += 1_000;
    assert.equal(store.all()[0]?.revokedAt, Date.parse('2026-12-05T06:00:00Z'));
    store.stop();
    assert.equal(readMachines(dir)[0]?.revokedAt, Date.parse('2026-12-05T06:00:00Z'), 'and written');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
