/**
 * The Lease store and the elector's writes against a real API server: MicroTime times round-trip,
 * a write from a stale read is a conflict (not an overwrite), a second create is a conflict, and
 * followers recording pushes at the same moment all get through by re-reading on 409.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectKube } from '../../../src/kube/connect.js';
import { createLogger } from '../../../src/log/logger.js';
import { LeaderElector } from '../../../src/serve/leader/leader-elector.js';
import { kubeLeaseStore, REQUESTED_REVISION } from '../../../src/serve/leader/lease-store.js';
import { type KubeApiServer, startKubeApiServer } from '../../helpers/kube-apiserver.js';

let api: KubeApiServer;
before(async () => {
  api = await startKubeApiServer();
});
after(async () => {
  await api?.stop();
});

const store = (name: string) =>
  kubeLeaseStore(connectKube({ kubeconfig: api.adminKubeconfig }).coordination, 'default', name);
const T = Date.parse('2026-12-05T10:00:00.123Z');

describe('Lease store (real API server)', { timeout: 120_000 }, () => {
  test('create, read back with millisecond times, replace; a stale write or a second create is a conflict', async () => {
    const s = store('store-basic');
    assert.equal(await s.read(), undefined);
    const record = { holder: 'a_1', leaseDurationSeconds: 15, acquireTime: T, renewTime: T, transitions: 0 };
    const created = await s.write(undefined, record, { note: 'x' });
    assert.ok(created.ok);
    const read = await s.read();
    assert.deepEqual(read?.record, record);
    assert.equal(read?.annotations.note, 'x');
    const raw = await connectKube({ kubeconfig: api.adminKubeconfig }).coordination.readNamespacedLease({
      name: 'store-basic',
      namespace: 'default',
    });
    const renew: unknown = raw.spec?.renewTime;
    assert.match(renew instanceof Date ? renew.toISOString() : String(renew), /\.123/);
    const renewed = await s.write(read, { ...record, renewTime: T + 2000 }, read?.annotations ?? {});
    assert.ok(renewed.ok);
    // `read` is stale now: its resourceVersion was replaced by the renewal.
    assert.deepEqual(await s.write(read, { ...record, holder: 'b_2' }, {}), { ok: false, conflict: true });
    assert.deepEqual(await s.write(undefined, record, {}), { ok: false, conflict: true });
    assert.equal((await s.read())?.record.holder, 'a_1');
  });

  test('followers recording pushes at once all succeed (409: re-read, retry) and the leader keeps leading', async () => {
    const s = store('store-requests');
    const logger = createLogger({ level: 'silent' });
    const timings = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 200 };
    const leader = new LeaderElector({ store: s, identity: 'leader_1', timings, logger });
    const requested: string[] = [];
    let led = false;
    leader.start({
      startedLeading: () => (led = true),
      stoppedLeading: () => (led = false),
      requested: (r) => requested.push(r),
    });
    try {
      for (const until = Date.now() + 10_000; !led && Date.now() < until; )
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(led, 'the only candidate leads');
      const followers = [1, 2, 3].map(
        (i) => new LeaderElector({ store: s, identity: `follower_${i}`, timings, logger }),
      );
      const shas = Array.from({ length: 9 }, (_, i) => `${i}`.repeat(40));
      await Promise.all(shas.map((sha, i) => followers[i % 3]?.request(sha)));
      const last = (await s.read())?.annotations[REQUESTED_REVISION];
      assert.ok(last && shas.includes(last));
      for (const until = Date.now() + 5000; !requested.includes(last) && Date.now() < until; )
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(requested.includes(last), 'the leader saw the newest request');
      assert.ok(leader.mayAct(), 'renewals went on through the conflicts');
      assert.equal((await s.read())?.record.holder, 'leader_1');
    } finally {
      await leader.stop();
    }
    const released = await s.read();
    assert.equal(released?.record.holder, '');
    assert.equal(released?.record.leaseDurationSeconds, 1);
  });
});
