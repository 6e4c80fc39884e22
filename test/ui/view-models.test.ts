/** The view models, built purely from reports (and a lock): what each view says, and that it is linear. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentModel, lastChecked } from '../../src/ui/model/environment.js';
import { compare, fingerprint, HealthLog } from '../../src/ui/model/health-log.js';
import { newestTag, overviewModel } from '../../src/ui/model/overview.js';
import { serverModel } from '../../src/ui/model/server.js';
import type { LockRead } from '../../src/ui/read-locks.js';
import type { ReportSet } from '../../src/ui/read-reports.js';
import { HOSTILE, report } from './fixture.js';

function set(...reports: ReturnType<typeof report>[]): ReportSet {
  return {
    reports,
    environments: [...new Set(reports.map((r) => r.environment))].sort(),
    fleet: { aggregates: [], unreadable: [] },
    unreadable: [],
  };
}

test('overview: sync, health, counts, revision, newest tag and suspension per environment', () => {
  const stalled = report('prod', 'vm', 2, {
    conditions: [{ type: 'Stalled', status: 'True', reason: 'Unreachable', message: 'ssh refused' }],
  });
  const suspended = report('staging', 'vm', 1, { suspended: { reason: 'freeze' } });
  const m = overviewModel(
    set(report('dev', 'laptop', 20), stalled, suspended),
    ['dev/v1.2.0', 'dev/v1.10.0', 'prod/v1.0.0'],
    undefined,
  );
  const dev = m.environments.find((e) => e.environment === 'dev');
  assert.deepEqual(
    { sync: dev?.sync, health: dev?.health, counts: dev?.counts, tag: dev?.tag, rev: dev?.revisions },
    {
      sync: 'in sync',
      health: 'unhealthy',
      counts: { healthy: 18, starting: 0, unhealthy: 2, unknown: 0 },
      tag: 'dev/v1.10.0',
      rev: ['aaaaaaaaaaaa'],
    },
  );
  assert.equal(m.environments.find((e) => e.environment === 'prod')?.sync, 'stalled');
  const st = m.environments.find((e) => e.environment === 'staging');
  assert.equal(st?.sync, 'suspended');
  assert.deepEqual(st?.suspended, { reason: 'freeze' });
  assert.equal(st?.tag, undefined);
  assert.deepEqual(m.totals, { healthy: 21, starting: 0, unhealthy: 2, unknown: 0 });
  assert.equal(m.recent, undefined, 'no reconciles without a live process');
});

test('newest tag is by version order, not by string order', () => {
  assert.equal(newestTag(['dev/v1.9.0', 'dev/v1.10.0', 'devx/v9.0.0'], 'dev'), 'dev/v1.10.0');
  assert.equal(newestTag(['prod/v1'], 'dev'), undefined);
});

test('environment: targets with their servers, drift and quarantine marked', () => {
  const r = report('dev', 'laptop', 3, {
    drift: [{ server: 's0001', paths: ['env.LOG'] }],
    lastApply: [
      { server: 'gone', action: 'create', outcome: 'rolled-back', quarantined: true, message: HOSTILE },
    ],
  });
  const m = environmentModel(set(r), 'dev');
  assert.ok(m);
  assert.deepEqual(
    m.targets[0]?.servers.map((s) => [s.server, s.health, s.drifted]),
    [
      ['s0000', 'healthy', false],
      ['s0001', 'healthy', true],
      ['s0002', 'healthy', false],
    ],
  );
  assert.deepEqual(m.targets[0]?.quarantined, [{ server: 'gone', message: HOSTILE }]);
  const withFleet = {
    ...set(r),
    fleet: { aggregates: [], unreadable: ['dev/fleet/x.json', 'devx/fleet/y.json'] },
  };
  assert.deepEqual(environmentModel(withFleet, 'dev')?.fleet.unreadable, ['dev/fleet/x.json']);
  assert.equal(environmentModel(set(r), 'nope'), undefined);
});

test('server: each tool against the lock, through compareToLock', () => {
  const r = report('dev', 'laptop', 1);
  const entry = r.inventory[0];
  assert.ok(entry?.surface);
  entry.surface.tools.push({ name: 'zap', fingerprint: 'sha256:zap' });
  const lock: LockRead = {
    state: 'found',
    file: 'tool-locks/s0000/1.0.0.yaml',
    surface: {
      fingerprint: 'sha256:locked',
      tools: [
        { name: 'add', description: 'adds', fingerprint: 'sha256:add' },
        { name: 'echo', description: HOSTILE, fingerprint: 'sha256:echo-old' },
        { name: 'old', description: 'gone', fingerprint: 'sha256:old' },
      ],
      prompts: [],
      resourceTemplates: [],
    },
  };
  const asked: string[] = [];
  const m = serverModel(set(r), 'dev', 's0000', {
    lock: (s, v) => {
      asked.push(`${s}@${v}`);
      return lock;
    },
    healthLog: () => [],
  });
  assert.deepEqual(asked, ['s0000@1.0.0']);
  const t = m?.targets[0];
  assert.deepEqual(
    t?.tools.map((x) => [x.name, x.state, x.locked?.description]),
    [
      ['add', 'matches', 'adds'],
      ['echo', 'changed', HOSTILE],
      ['old', 'removed', 'gone'],
      ['zap', 'added', undefined],
    ],
  );
  assert.deepEqual(t?.comparison, {
    matches: false,
    added: ['zap'],
    removed: ['old'],
    changed: ['echo'],
    other: [],
  });
  assert.equal(serverModel(set(r), 'dev', 'nope', { lock: () => lock, healthLog: () => [] }), undefined);
});

test('server without a lock: tools by name, unlocked', () => {
  const m = serverModel(set(report('dev', 'laptop', 1)), 'dev', 's0000', {
    lock: (_s, _v) => ({ state: 'missing', file: 'tool-locks/s0000/1.0.0.yaml' }),
    healthLog: () => [],
  });
  assert.deepEqual(
    m?.targets[0]?.tools.map((t) => [t.name, t.state]),
    [
      ['echo', 'unlocked'],
      ['add', 'unlocked'],
    ],
  );
});

test('changes between two readings: reconcile, health (logged) and drift, per environment', () => {
  const before = report('dev', 'laptop', 2);
  const after = report('dev', 'laptop', 2, {
    runs: [{ revision: 'b'.repeat(40), result: 'success', changed: 1, failed: 0, drifted: 1 }],
    drift: [{ server: 's0001', paths: ['env.X'] }],
  });
  const e1 = after.inventory[1];
  assert.ok(e1);
  e1.health = 'unhealthy';
  e1.healthReason = 'exit 1';
  const { updates, health } = compare(
    fingerprint([before, report('prod', 'vm', 1)]),
    fingerprint([after, report('prod', 'vm', 1)]),
  );
  assert.deepEqual(updates, [
    { kind: 'reconcile', env: 'dev' },
    { kind: 'drift', env: 'dev' },
    { kind: 'health', env: 'dev' },
  ]);
  assert.deepEqual(
    [...health.entries()],
    [['dev\u0000laptop\u0000s0001', { from: 'healthy', to: 'unhealthy', reason: 'exit 1' }]],
  );
  const log = new HealthLog(2);
  for (const at of ['t1', 't2', 't3']) log.record('dev\u0000laptop\u0000s0001', { at, to: 'unhealthy' });
  assert.deepEqual(
    log.get('dev', 'laptop', 's0001').map((c) => c.at),
    ['t3', 't2'],
  );
  assert.deepEqual(compare(fingerprint([before]), fingerprint([before])).updates, []);
});

test('overview and environment models are linear: 10,000 servers in well under a second', () => {
  const big = set(...Array.from({ length: 10 }, (_, i) => report('dev', `t${i}`, 1000)));
  const start = performance.now();
  const m = overviewModel(big, [], undefined);
  const e = environmentModel(big, 'dev');
  const ms = performance.now() - start;
  assert.equal(m.environments[0]?.servers, 10_000);
  assert.equal(e?.targets.length, 10);
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
});

test("last checked: this process's newest finished reconcile of the environment, else its newest report commit", () => {
  const runs = [
    {
      oid: 'c'.repeat(40),
      time: '2026-12-05T09:00:00Z',
      environment: 'prod',
      subject: 'reconcile(prod): x',
      rollback: false,
    },
    {
      oid: 'd'.repeat(40),
      time: '2026-12-05T08:00:00Z',
      environment: 'dev',
      subject: 'reconcile(dev): x',
      rollback: false,
    },
  ];
  const recent = [
    {
      finishedAt: '2026-12-05T10:02:00Z',
      environment: 'dev',
      trigger: 'interval',
      result: 'error' as const,
      revision: 'e1',
      seconds: 1,
    },
    {
      finishedAt: '2026-12-05T10:01:00Z',
      environment: 'dev',
      trigger: 'interval',
      result: 'failed' as const,
      revision: 'e2',
      seconds: 1,
    },
  ];
  // A run that ended in an error may not have verified anything: the one before it counts.
  assert.deepEqual(lastChecked('dev', recent, runs), {
    time: '2026-12-05T10:01:00Z',
    by: 'reconcile',
    revision: 'e2',
  });
  assert.deepEqual(lastChecked('dev', undefined, runs), {
    time: '2026-12-05T08:00:00Z',
    by: 'report-commit',
    revision: 'd'.repeat(12),
  });
  assert.equal(lastChecked('staging', recent, runs), undefined);
});
