/** A pass's outcome for one target as the hub hears it (pure; plans and runs built by hand). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Change, TargetPlan } from '../../../src/core/plan.js';
import type { ChangeResult } from '../../../src/core/report.js';
import type { TargetRun } from '../../../src/engine/types.js';
import { reportFromRun } from '../../../src/fleet/agent/report-from-run.js';
import { FLEET_LIMITS } from '../../../src/fleet/protocol.js';
import { redactor } from '../../../src/log/redact.js';
import { laptopTarget, memoryServer } from './agent-hub.js';

const a = memoryServer('a', '/tmp/a');
const b = memoryServer('b', '/tmp/b');
const target = laptopTarget([a, b]);

function change(
  server: typeof a,
  action: Change['action'],
  reason: Change['reason'],
  paths: string[] = [],
): Change {
  return {
    environment: 'dev',
    target: 'laptops',
    server: server.name,
    action,
    reason,
    diffs: paths.map((path) => ({ path })),
    desired: server,
    ...(action === 'create'
      ? {}
      : { observed: { name: server.name, spec: server.spec, specHash: server.specHash } }),
  };
}

function plan(changes: Change[], extra: Partial<TargetPlan> = {}): TargetPlan {
  return {
    environment: 'dev',
    target: 'laptops',
    provider: 'client-config',
    host: 'local',
    changes,
    ...extra,
  };
}

function run(
  results: ChangeResult[],
  verified: [
    string,
    { ok: boolean; health: 'healthy' | 'unhealthy'; toolCount?: number; error?: string },
  ][] = [],
): TargetRun {
  return {
    environment: 'dev',
    target: 'laptops',
    provider: 'client-config',
    host: 'local',
    observed: { environment: 'dev', target: 'laptops', reachable: true, servers: [] },
    results,
    verified: new Map(verified.map(([k, v]) => [k, { ...v, attempts: 1, durationMs: 1 }])),
  };
}

test('applied and verified: in-sync with health and tool counts; unverified servers keep what the last pass knew', () => {
  const r = reportFromRun({
    bundleTarget: target,
    plan: plan([change(a, 'create', 'missing'), change(b, 'noop', 'in-sync')]),
    run: run(
      [
        { server: 'a', action: 'create', outcome: 'applied' },
        { server: 'b', action: 'noop', outcome: 'unchanged' },
      ],
      [['a', { ok: true, health: 'healthy', toolCount: 9 }]],
    ),
    suspended: false,
    known: { b: { specHash: b.specHash, health: 'healthy', tools: 9 } },
  });
  assert.deepEqual(r, {
    target: 'laptops',
    digest: target.digest,
    state: 'in-sync',
    servers: [
      { name: 'a', specHash: a.specHash, outcome: 'applied', health: 'healthy', tools: 9 },
      { name: 'b', specHash: b.specHash, outcome: 'unchanged', health: 'healthy', tools: 9 },
    ],
    drift: [],
  });
});

test('a failed change is failing, with its reason redacted, escaped and capped', () => {
  redactor.add('s3cr3t-value-xyz');
  const long = `spawn failed with s3cr3t-value-xyz\u001b[31m ${'x'.repeat(2000)}`;
  const r = reportFromRun({
    bundleTarget: target,
    plan: plan([change(a, 'update', 'spec', ['env.X']), change(b, 'noop', 'in-sync')]),
    run: run([
      { server: 'a', action: 'update', outcome: 'rolled-back', message: long },
      { server: 'b', action: 'noop', outcome: 'unchanged' },
    ]),
    suspended: false,
    known: { b: { specHash: 'sha256:old', health: 'healthy' } },
  });
  assert.equal(r.state, 'failing');
  const reason = r.servers[0]!.reason!;
  assert.ok(!reason.includes('s3cr3t-value-xyz'));
  assert.ok(reason.includes('[REDACTED]') && reason.includes('\\u001b'));
  assert.equal([...reason].length, FLEET_LIMITS.reasonChars);
  // b's last known health was for another spec: unknown now.
  assert.equal(r.servers[1]!.health, 'unknown');
});

test('drift left alone is drifted with field paths; an unhealthy server is failing; a stalled target carries its error', () => {
  const drifted = reportFromRun({
    bundleTarget: target,
    plan: plan([
      change(a, 'update', 'drift', ['claude-code.env.X', 'claude-code.env.X']),
      change(b, 'noop', 'in-sync'),
    ]),
    run: run([
      { server: 'a', action: 'update', outcome: 'skipped' },
      { server: 'b', action: 'noop', outcome: 'unchanged' },
    ]),
    suspended: false,
    known: {},
  });
  assert.equal(drifted.state, 'drifted');
  assert.deepEqual(drifted.drift, [{ server: 'a', paths: ['claude-code.env.X'] }]);

  const unhealthy = reportFromRun({
    bundleTarget: target,
    plan: plan([change(a, 'noop', 'in-sync'), change(b, 'noop', 'in-sync')]),
    run: run([], [['a', { ok: false, health: 'unhealthy', error: 'read_graph missing' }]]),
    suspended: false,
    known: {},
  });
  assert.equal(unhealthy.state, 'failing');
  assert.equal(unhealthy.servers[0]!.reason, 'read_graph missing');

  const stalled = reportFromRun({
    bundleTarget: target,
    plan: plan([], { stalled: { reason: 'cannot read ~/.claude.json: EACCES' } }),
    run: undefined,
    suspended: false,
    known: {},
  });
  assert.equal(stalled.state, 'failing');
  assert.equal(stalled.error, 'cannot read ~/.claude.json: EACCES');
});
