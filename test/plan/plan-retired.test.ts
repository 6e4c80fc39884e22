/** Planning targets removed from the repo (pure): orphans of a retired target, prune, the gate. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Change } from '../../src/core/plan.js';
import type { DesiredState, ObservedTarget, ResolvedSync, RetiredTarget } from '../../src/core/state.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { desiredState, server } from '../helpers/desired-state.js';

const renderer = { render: () => ({}) };
const brief = (c: Change) => `${c.server}:${c.action}:${c.reason}`;

function retired(env: string, name: string, sync: Partial<ResolvedSync>, extra: Partial<RetiredTarget> = {}) {
  const target = {
    environment: env,
    name,
    provider: 'memory',
    host: 'local',
    settings: { name, provider: 'memory' },
    servers: [],
  };
  return {
    environment: {
      name: env,
      vars: {},
      sync: { drift: 'correct', prune: true, maxDeletions: 3, suspend: false, ...sync },
      targets: [target],
      fleet: [],
      hooks: [],
    },
    target,
    revision: 'a'.repeat(40),
    environmentRemoved: env !== 'dev',
    ...extra,
  } satisfies RetiredTarget;
}

function observed(env: string, target: string, servers: string[]): ObservedTarget {
  return {
    environment: env,
    target,
    reachable: true,
    servers: servers.map((name) => ({ name, spec: server(name).spec, specHash: server(name).specHash })),
  };
}

function plan(desired: DesiredState, found: ObservedTarget[]) {
  return buildPlan({ desired, observed: found, renderers: () => renderer });
}

describe('buildPlan with retired targets', () => {
  test('every server found on a retired target is deleted with prune, kept without', () => {
    const desired = desiredState({ laptop: [] });
    desired.retired = [retired('dev', 'old', { prune: true }), retired('keep', 'desk', { prune: false })];
    const p = plan(desired, [
      observed('dev', 'laptop', []),
      observed('dev', 'old', ['b', 'a']),
      observed('keep', 'desk', ['a']),
    ]);
    const old = p.targets.find((t) => t.target === 'old');
    assert.deepEqual(old?.changes.map(brief), ['b:delete:prune', 'a:delete:prune']);
    assert.deepEqual(old?.retired, { revision: 'a'.repeat(40), environmentRemoved: false, prune: true });
    assert.deepEqual(p.targets.find((t) => t.target === 'desk')?.changes.map(brief), ['a:noop:orphan-kept']);
    assert.deepEqual(p.environments, ['dev', 'keep'], 'a removed environment is planned after the others');
    assert.deepEqual(p.summary, { create: 0, update: 0, delete: 2, noop: 1, drifted: 0, stalled: 0 });
  });

  test("maxDeletions counts a retired target's deletions with the environment's own", () => {
    const desired = desiredState({ laptop: [] }, { sync: { maxDeletions: 2 } });
    desired.retired = [retired('dev', 'old', { maxDeletions: 2 })];
    const p = plan(desired, [observed('dev', 'laptop', ['x']), observed('dev', 'old', ['a', 'b'])]);
    assert.equal(p.blocked.length, 1);
    assert.match(p.blocked[0]?.reason ?? '', /deletes 3 servers, more than sync.maxDeletions \(2\)/);
  });

  test('a removed environment is gated by its own last maxDeletions', () => {
    const desired = desiredState({ laptop: [] });
    desired.retired = [retired('staging', 'box', { maxDeletions: 1 })];
    const p = plan(desired, [observed('staging', 'box', ['a', 'b'])]);
    assert.deepEqual(
      p.blocked.map((b) => b.environment),
      ['staging'],
    );
    assert.match(
      p.blocked[0]?.reason ?? '',
      /removed environment "staging", more than its last sync.maxDeletions \(1\)/,
    );
  });

  test('unreadable settings or an unreachable target: stalled, nothing planned', () => {
    const desired = desiredState({ laptop: [] });
    desired.retired = [
      retired('dev', 'gone', {}, { unreadable: 'removed from the repo, and its settings could not be read' }),
      retired('dev', 'down', {}),
    ];
    const p = plan(desired, [
      observed('dev', 'laptop', []),
      { environment: 'dev', target: 'gone', reachable: false, reason: 'x', servers: [] },
      { environment: 'dev', target: 'down', reachable: false, reason: 'connection refused', servers: [] },
    ]);
    assert.equal(
      p.targets.find((t) => t.target === 'gone')?.stalled?.reason,
      'removed from the repo, and its settings could not be read',
    );
    assert.equal(p.targets.find((t) => t.target === 'down')?.stalled?.reason, 'connection refused');
    assert.equal(p.summary.stalled, 2);
    assert.equal(p.summary.delete, 0);
  });
});
