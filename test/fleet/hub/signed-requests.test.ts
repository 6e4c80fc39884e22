/**
 * Signed agent requests against a real hub: a valid bundle pull, and every way to forge one
 * (bad signature, another machine's key, a replayed nonce, an old timestamp, a revoked machine),
 * each refused with a terse answer and nothing recorded.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { markRevoked, readMachines } from '../../../src/fleet/hub/hub-store.js';
import { FLEET_PATHS, type SignedBundle } from '../../../src/fleet/protocol.js';
import { generateKeyPair, newNonce, verifyBundle } from '../../../src/fleet/signing.js';
import { type Agent, bundleBody, enroll, type Hub, signedFetch, startHub } from './hub-harness.js';

let hub: Hub;
let agent: Agent;
let other: Agent;
before(async () => {
  hub = await startHub({ flushEveryMs: 0 });
  agent = (await enroll(hub, hub.token())).agent!;
  other = (await enroll(hub, hub.token())).agent!;
});
after(() => hub.close());

const B = FLEET_PATHS.bundle;

/** The machine's stored record after the hub has written what it holds. */
function stored(machineId: string) {
  hub.hub.store.flush();
  return readMachines(hub.fleetDir).find((m) => m.machineId === machineId);
}

test('a signed pull gets the bundle, signed by the pinned hub key; If-None-Match gets 304', async () => {
  const res = await signedFetch(hub, agent, 'GET', B);
  assert.equal(res.status, 200);
  const signed = (await res.json()) as SignedBundle;
  assert.ok(verifyBundle(signed, agent.enrolled.hubPublicKey));
  assert.equal(signed.bundle.machineId, agent.machineId);
  assert.equal(signed.bundle.targets[0]?.name, 'laptops');
  const etag = res.headers.get('etag')!;
  assert.match(etag, /^"[0-9a-f]{64}"$/);
  assert.ok(stored(agent.machineId)?.lastSeen, 'seen');

  const again = await signedFetch(hub, agent, 'GET', B, undefined, { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');

  // A new desired state is a new ETag.
  hub.source.set(bundleBody('dev', []));
  const changed = await signedFetch(hub, agent, 'GET', B, undefined, { headers: { 'if-none-match': etag } });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get('etag'), etag);
  hub.source.set(bundleBody());
});

test('a machine no fleet target matches gets a terse 404', async () => {
  const prod = (await enroll(hub, hub.token({ environment: 'prod' }))).agent!;
  const res = await signedFetch(hub, prod, 'GET', B);
  assert.equal(res.status, 404);
  assert.equal(await res.text(), 'no fleet target matches this machine\n');
});

test('forged, borrowed, replayed, stale or malformed credentials are refused and nothing is recorded', async () => {
  const victim = stored(other.machineId)!;
  const cases: [string, Parameters<typeof signedFetch>[5], number][] = [
    ['forged signature', { signature: Buffer.alloc(64, 7).toString('base64') }, 401],
    ['signed by another key', { privateKeyPem: generateKeyPair().privateKeyPem }, 401],
    ['another machine signing as the victim', { privateKeyPem: agent.key.privateKeyPem }, 401],
    ['timestamp 10 minutes old', { timestamp: String(Date.now() - 10 * 60_000) }, 401],
    ['timestamp 10 minutes ahead', { timestamp: String(Date.now() + 10 * 60_000) }, 401],
    ['nonce not hex', { nonce: 'zz'.repeat(16) }, 401],
    ['unknown machine', { machineId: `m-${'0'.repeat(24)}` }, 401],
    ['machine id as a path', { machineId: '../../etc/passwd' }, 401],
  ];
  for (const [name, options, status] of cases) {
    const res = await signedFetch(hub, other, 'GET', B, undefined, options);
    assert.equal(res.status, status, name);
    assert.equal(await res.text(), 'unauthorized\n', name);
  }
  const unsigned = await fetch(`${hub.url}${B}`);
  assert.equal(unsigned.status, 401);
  assert.deepEqual(stored(other.machineId), victim, 'nothing recorded for the victim');
});

test('a replayed request (same nonce) is refused', async () => {
  const nonce = newNonce();
  const timestamp = String(Date.now());
  const first = await signedFetch(hub, other, 'GET', B, undefined, { nonce, timestamp });
  assert.equal(first.status, 200);
  const before = stored(other.machineId);
  const replay = await signedFetch(hub, other, 'GET', B, undefined, { nonce, timestamp });
  assert.equal(replay.status, 401);
  assert.deepEqual(stored(other.machineId), before);
});

test('a signature for another path or method does not carry over', async () => {
  // Signed for /fleet/v1/report, sent to the bundle path.
  const nonce = newNonce();
  const timestamp = String(Date.now());
  const { signedHeaders } = await import('./hub-harness.js');
  const headers = signedHeaders(agent, 'POST', FLEET_PATHS.report, '', { nonce, timestamp });
  const res = await fetch(`${hub.url}${B}`, { headers });
  assert.equal(res.status, 401);
});

test('a revoked machine can no longer pull or report, and its refusal records nothing', async () => {
  const victim = (await enroll(hub, hub.token())).agent!;
  assert.equal((await signedFetch(hub, victim, 'GET', B)).status, 200);
  const before = stored(victim.machineId);
  markRevoked(hub.fleetDir, victim.machineId, Date.now());
  assert.ok(fs.existsSync(path.join(hub.fleetDir, 'revoked', victim.machineId)));
  const pull = await signedFetch(hub, victim, 'GET', B);
  assert.equal(pull.status, 403);
  assert.equal(await pull.text(), 'forbidden\n');
  const report = await signedFetch(hub, victim, 'POST', FLEET_PATHS.report, '{}');
  assert.equal(report.status, 403);
  // The revocation itself is recorded (waves, bundles and aggregates leave the machine out); the
  // refused requests are not (no lastSeen, no report).
  const { revokedAt, ...after } = stored(victim.machineId)!;
  assert.ok(typeof revokedAt === 'number' && Math.abs(revokedAt - Date.now()) < 60_000);
  assert.deepEqual(after, before);
  assert.ok(hub.hub.store.all().find((m) => m.machineId === victim.machineId)?.revokedAt);
});

test('key rotation: after it only the new key is accepted', async () => {
  const rotating = (await enroll(hub, hub.token())).agent!;
  const next = generateKeyPair();
  const res = await signedFetch(
    hub,
    rotating,
    'POST',
    FLEET_PATHS.rotate,
    JSON.stringify({ publicKey: next.publicKey }),
  );
  assert.equal(res.status, 200);
  const body = (await res.json()) as { machineId: string; rotatedAt: string };
  assert.equal(body.machineId, rotating.machineId);
  assert.equal(
    readMachines(hub.fleetDir).find((m) => m.machineId === rotating.machineId)?.publicKey,
    next.publicKey,
  );
  assert.equal((await signedFetch(hub, rotating, 'GET', B)).status, 401, 'old key');
  const rotated = { ...rotating, key: next };
  assert.equal((await signedFetch(hub, rotated, 'GET', B)).status, 200, 'new key');
  const bad = await signedFetch(
    hub,
    rotated,
    'POST',
    FLEET_PATHS.rotate,
    JSON.stringify({ publicKey: 'nope' }),
  );
  assert.equal(bad.status, 400);
});
