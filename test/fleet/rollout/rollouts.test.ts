/**
 * The rollout rules on a simulated fleet of 20 machines: a first release reaches everyone, a new
 * digest goes out in waves gated by reports, a failing canary halts it until a new release, a
 * rollback to the stable digest reaches every machine at once, stale machines do not gate waves,
 * minHealthy holds a wave, and the state survives JSON.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { machinesOf } from '../../../src/fleet/rollout/fleet-machines.js';
import { Rollouts } from '../../../src/fleet/rollout/rollouts.js';
import type { MachineRecord } from '../../../src/fleet/rollout/types.js';
import { digestOf, machine, machines, NOW, release, report } from './fleet-fixtures.js';

const V1 = digestOf('1.0.0');
const V2 = digestOf('2.0.0');
const V3 = digestOf('3.0.0');

function given(r: Rollouts, fleet: MachineRecord[], target = 'laptops'): Map<string, string | undefined> {
  const matching = machinesOf(r.currentReleases().find((x) => x.target === target) ?? release('0'), fleet);
  return new Map(fleet.map((m) => [m.machineId, r.digestFor(m, 'dev', target, matching)]));
}

function count(digests: Map<string, string | undefined>, digest: string): number {
  return [...digests.values()].filter((d) => d === digest).length;
}

/** Every machine given `digest` reports it with `state`. */
function reportAll(
  r: Rollouts,
  fleet: MachineRecord[],
  digest: string,
  state: 'in-sync' | 'failing' = 'in-sync',
): void {
  const digests = given(r, fleet);
  for (const m of fleet) if (digests.get(m.machineId) === digest) report(m, 'laptops', digest, state);
}

function started(fleet: MachineRecord[]): Rollouts {
  const r = new Rollouts();
  assert.deepEqual(
    r.release([release('1.0.0')], NOW).map((o) => o.outcome),
    ['complete'],
  );
  reportAll(r, fleet, V1);
  assert.deepEqual(
    r.release([release('2.0.0')], NOW).map((o) => o.outcome),
    ['started'],
  );
  return r;
}

test('a first release reaches every machine; a new digest goes 1, 5, then 20 machines as reports come in', () => {
  const fleet = machines(20);
  const r = started(fleet);
  assert.equal(count(given(r, fleet), V2), 1);
  assert.equal(count(given(r, fleet), V1), 19);
  assert.deepEqual(r.onReport(fleet, NOW), [], 'nothing reported yet: the wave stays open');
  reportAll(r, fleet, V2);
  assert.deepEqual(
    r.onReport(fleet, NOW).map((s) => [s.state, s.wave]),
    [['progressing', 1]],
  );
  assert.equal(count(given(r, fleet), V2), 5);
  reportAll(r, fleet, V2);
  r.onReport(fleet, NOW);
  assert.equal(count(given(r, fleet), V2), 20);
  reportAll(r, fleet, V2);
  const [done] = r.onReport(fleet, NOW);
  assert.equal(done?.state, 'complete');
  assert.equal(done?.stableDigest, V2);
  // The same digest again (a new revision that changed nothing for the target) changes nothing.
  assert.deepEqual(
    r.release([release('2.0.0')], NOW).map((o) => o.outcome),
    ['unchanged'],
  );
  assert.equal(r.statusOf('dev', 'laptops')?.state, 'complete');
});

test('a failing canary halts the rollout until a new release; a rollback to stable reaches everyone at once', () => {
  const fleet = machines(20);
  const r = started(fleet);
  reportAll(r, fleet, V2, 'failing');
  const [halted] = r.onReport(fleet, NOW);
  assert.equal(halted?.state, 'halted');
  assert.equal(halted?.reason, 'wave 0 (5%): 1 of 1 machine failing verification');
  // Halted stays halted, whatever reports come in; the canary keeps what it has, the rest stable.
  for (const m of fleet) if (m.targets.laptops?.digest === V2) report(m, 'laptops', V2, 'in-sync');
  assert.deepEqual(r.onReport(fleet, NOW), []);
  assert.equal(count(given(r, fleet), V2), 1);
  // A fix is a new rollout from wave 0, still against the stable 1.0.0.
  assert.deepEqual(
    r.release([release('3.0.0')], NOW).map((o) => o.outcome),
    ['started'],
  );
  assert.equal(r.statusOf('dev', 'laptops')?.stableDigest, V1);
  assert.equal(count(given(r, fleet), V3), 1);
  // Rolling back to the stable digest is complete at once: every machine gets 1.0.0.
  assert.deepEqual(
    r.release([release('1.0.0')], NOW).map((o) => o.outcome),
    ['complete'],
  );
  assert.equal(count(given(r, fleet), V1), 20);
});

test('pauseOnFailure false does not halt; minHealthy holds the wave until enough are in sync', () => {
  const fleet = machines(20);
  const r = new Rollouts();
  r.release([release('1.0.0')], NOW);
  r.release([release('2.0.0', { waves: [0.25, 1], pauseOnFailure: false, minHealthy: 0.8 })], NOW);
  const wave = fleet.filter((m) => given(r, fleet).get(m.machineId) === V2);
  assert.equal(wave.length, 5);
  for (const [i, m] of wave.entries()) report(m, 'laptops', V2, i < 2 ? 'failing' : 'in-sync');
  const [waiting] = r.onReport(fleet, NOW);
  assert.equal(waiting?.state, 'progressing', '3 of 5 in sync is under 80%: no halt, no advance');
  assert.equal(waiting?.wave, 0);
  assert.equal(waiting?.reason, 'wave 0 (25%): 3 of 5 reporting machines in sync, 80% needed');
  assert.deepEqual(r.onReport(fleet, NOW), [], 'the same reports again change nothing');
  report(wave[0] as MachineRecord, 'laptops', V2, 'in-sync');
  const [next] = r.onReport(fleet, NOW);
  assert.deepEqual([next?.wave, next?.reason], [1, undefined], '4 of 5 is 80%');
});

test('stale machines do not gate a wave; machines outside the selector or revoked are not in it', () => {
  const fleet = machines(20);
  const other = machine('other', { team: 'data', os: 'darwin' });
  const r = started([...fleet, other]);
  assert.equal(r.digestFor(other, 'dev', 'laptops', machinesOf(release('2.0.0'), fleet)), V1);
  const [canary] = fleet.filter((m) => given(r, fleet).get(m.machineId) === V2);
  assert.ok(canary);
  canary.lastSeen = NOW - 2 * 3_600_000;
  assert.deepEqual(
    r.onReport(fleet, NOW).map((s) => s.wave),
    [1],
    'a canary gone for 2 h does not hold the rollout',
  );
  const revoked = { ...fleet[0], revokedAt: NOW } as MachineRecord;
  assert.equal(machinesOf(release('2.0.0'), [revoked]).length, 0);
});

test('the state survives JSON: same statuses and same digests per machine; removed targets are forgotten', () => {
  const fleet = machines(20);
  const r = started(fleet);
  r.release([release('2.0.0'), release('1.0.0', {}, 'desktops')], NOW);
  const copy = Rollouts.fromJSON(JSON.parse(JSON.stringify(r)));
  assert.deepEqual(copy.status(), r.status());
  assert.deepEqual(given(copy, fleet), given(r, fleet));
  assert.throws(() => Rollouts.fromJSON({ schema: 'other' }), /fleet-rollouts\/v1/);
  assert.deepEqual(
    copy.release([release('2.0.0')], NOW).map((o) => `${o.target} ${o.outcome}`),
    ['desktops removed', 'laptops unchanged'],
  );
  assert.deepEqual(
    copy.status().map((s) => s.target),
    ['laptops'],
  );
});

test('a machine that already runs the new digest keeps it when the fleet grows', () => {
  const fleet = machines(20);
  const r = started(fleet);
  const [canary] = fleet.filter((m) => given(r, fleet).get(m.machineId) === V2);
  assert.ok(canary);
  report(canary, 'laptops', V2, 'in-sync', NOW);
  canary.lastSeen = NOW;
  // The wave now waits on nothing else, but a newcomer enrolment must not take the canary's place.
  const grown = [...fleet, ...Array.from({ length: 30 }, (_, i) => machine(`new-${i}`))];
  assert.equal(r.digestFor(canary, 'dev', 'laptops', machinesOf(release('2.0.0'), grown)), V2);
});

test('a later revision with the same digest and no new tag keeps the release tag (no bundle or aggregate churn)', () => {
  const r = new Rollouts();
  r.release([release('1.0.0')], NOW);
  const untagged = release('1.0.0');
  const { release: _tag, ...bundleTarget } = untagged.bundleTarget;
  assert.deepEqual(
    r.release([{ ...untagged, revision: 'rev-later', bundleTarget }], NOW).map((o) => o.outcome),
    ['unchanged'],
  );
  const [current] = r.currentReleases();
  assert.equal(current?.revision, 'rev-later');
  assert.equal(current?.bundleTarget.release, 'dev/v1.0.0');
  assert.equal(r.releaseOf('dev', 'laptops', V1)?.bundleTarget.release, 'dev/v1.0.0');
});
