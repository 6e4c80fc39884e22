/** Enrolment against a real hub over HTTP: one token, one machine; reuse and expiry refused. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readMachines } from '../../../src/fleet/hub/hub-store.js';
import { FLEET_PATHS } from '../../../src/fleet/protocol.js';
import { generateKeyPair } from '../../../src/fleet/signing.js';
import { enroll, type Hub, startHub } from './hub-harness.js';

let hub: Hub;
before(async () => {
  hub = await startHub();
});
after(() => hub.close());

test('a token enrols one machine: labels from the token plus os/arch, the hub key, 0600 state', async () => {
  const token = hub.token({ labels: { team: 'platform' } });
  const first = await enroll(hub, token);
  assert.equal(first.status, 200, first.text);
  const agent = first.agent!;
  assert.match(agent.machineId, /^m-[0-9a-f]{24}$/);
  assert.deepEqual(agent.enrolled.labels, { team: 'platform', os: 'darwin', arch: 'arm64' });
  assert.equal(agent.enrolled.environment, 'dev');
  assert.equal(agent.enrolled.hubPublicKey, hub.hubPublicKey);
  const [record] = readMachines(hub.fleetDir);
  assert.equal(record?.machineId, agent.machineId);
  assert.equal(record?.publicKey, agent.key.publicKey);
  assert.equal(fs.statSync(hub.fleetDir).mode & 0o777, 0o700);
  for (const f of ['machines.json', 'hub-key.pem'])
    assert.equal(fs.statSync(path.join(hub.fleetDir, f)).mode & 0o777, 0o600, f);
  assert.deepEqual(fs.readdirSync(path.join(hub.fleetDir, 'tokens')), [], 'the token is used up');
  // The token's own text is stored nowhere.
  assert.ok(!fs.readFileSync(path.join(hub.fleetDir, 'machines.json'), 'utf8').includes(token));

  const again = await enroll(hub, token);
  assert.equal(again.status, 401);
  assert.equal(again.text, 'unauthorized\n');
  assert.equal(readMachines(hub.fleetDir).length, 1);
});

test('two enrolments racing for one token: exactly one wins', async () => {
  const before = readMachines(hub.fleetDir).length;
  const token = hub.token();
  const results = await Promise.all(Array.from({ length: 6 }, () => enroll(hub, token)));
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 401, 401, 401, 401, 401]);
  assert.equal(readMachines(hub.fleetDir).length, before + 1);
});

test('an expired token is refused and removed; an unknown one is refused', async () => {
  const before = readMachines(hub.fleetDir).length;
  const expired = hub.token({ expiresAt: Date.now() - 1 });
  assert.equal((await enroll(hub, expired)).status, 401);
  assert.deepEqual(fs.readdirSync(path.join(hub.fleetDir, 'tokens')), []);
  assert.equal((await enroll(hub, 'A'.repeat(43))).status, 401);
  assert.equal(readMachines(hub.fleetDir).length, before);
});

test('a malformed enrolment is refused without burning the token', async () => {
  const token = hub.token();
  const post = (body: string) =>
    fetch(`${hub.url}${FLEET_PATHS.enroll}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  const key = generateKeyPair();
  const facts = { hostname: 'h', os: 'linux', arch: 'x64', user: 'u', agentVersion: '1' };
  const bad = [
    '{not json',
    JSON.stringify({ token, publicKey: 'bm90IGEga2V5', facts }),
    JSON.stringify({ token, publicKey: key.publicKey, facts: { ...facts, hostname: 'x'.repeat(129) } }),
    JSON.stringify({ token, publicKey: key.publicKey, facts, extra: 1 }),
  ];
  for (const body of bad) {
    const res = await post(body);
    assert.equal(res.status, 400, body.slice(0, 40));
    assert.equal(await res.text(), 'bad request\n');
  }
  const tooBig = await post(
    JSON.stringify({ token, publicKey: key.publicKey, facts, pad: 'x'.repeat(9000) }),
  );
  assert.equal(tooBig.status, 413);
  assert.equal((await enroll(hub, token, key)).status, 200, 'the token still works');
});
