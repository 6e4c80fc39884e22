/**
 * The real BundleSource: bundles signed with the hub's Ed25519 key that verify against its public
 * key, the new digest only for the open wave, nothing for a machine no fleet target selects, and
 * no re-signing while what a machine must run is unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReleaseBundleSource } from '../../../src/fleet/bundle-source.js';
import type { BundleSource } from '../../../src/fleet/hub/hub-context.js';
import { Rollouts } from '../../../src/fleet/rollout/rollouts.js';
import { generateKeyPair, verifyBundle } from '../../../src/fleet/signing.js';
import { digestOf, machine, machines, NOW, release, report } from './fleet-fixtures.js';

test('each machine gets a signed bundle with the digest its wave gives it', () => {
  const hub = generateKeyPair();
  const fleet = machines(20);
  const rollouts = new Rollouts();
  rollouts.release([release('1.0.0')], NOW);
  for (const m of fleet) report(m, 'laptops', digestOf('1.0.0'), 'in-sync');
  rollouts.release([release('2.0.0')], NOW);
  let clock = NOW;
  const source = createReleaseBundleSource({
    rollouts,
    hubPrivateKeyPem: hub.privateKeyPem,
    machines: () => fleet,
    now: () => clock,
  });
  const asHubSees: BundleSource = source; // the hub's interface, structurally
  assert.equal(typeof asHubSees.bundleFor, 'function');
  const bundles = fleet.map((m) =>
    createReleaseBundleSource({
      rollouts,
      hubPrivateKeyPem: hub.privateKeyPem,
      machines: () => fleet,
    }).bundleFor(m),
  );
  const digests = bundles.map((b) => b?.bundle.targets.map((t) => t.digest));
  assert.equal(digests.filter((d) => d?.[0] === digestOf('2.0.0')).length, 1);
  assert.equal(digests.filter((d) => d?.[0] === digestOf('1.0.0')).length, 19);
  for (const b of bundles) {
    assert.ok(b && verifyBundle(b, hub.publicKey), 'verifies against the hub key');
    assert.equal(b.bundle.revision, 'rev-2.0.0');
    assert.deepEqual(b.bundle.sync, { drift: 'correct', prune: false, suspend: false });
  }
  const tampered = structuredClone(bundles[0]);
  assert.ok(tampered);
  tampered.bundle.targets = [];
  assert.equal(verifyBundle(tampered, hub.publicKey), false);

  // Unchanged desired state: the same signed bundle, not re-signed at a later time.
  const m0 = fleet[0];
  assert.ok(m0);
  const first = source.bundleFor(m0);
  clock += 60_000;
  assert.equal(source.bundleFor(m0), first);
  // A rollback to 1.0.0 changes it for the canary (everyone gets 1.0.0 at once).
  rollouts.release([release('1.0.0')], NOW);
  const canary = fleet.find((_, i) => digests[i]?.[0] === digestOf('2.0.0'));
  assert.ok(canary);
  const after = source.bundleFor(canary);
  assert.deepEqual(
    after?.bundle.targets.map((t) => t.digest),
    [digestOf('1.0.0')],
  );
  assert.equal(after?.bundle.issuedAt, new Date(clock).toISOString());

  // Machines no fleet target selects, or of another environment, get no bundle.
  assert.equal(source.bundleFor(machine('data-1', { team: 'data' })), undefined);
  assert.equal(source.bundleFor(machine('prod-1', { team: 'platform' }, 'prod')), undefined);
});
