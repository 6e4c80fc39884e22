/** `sync.suspend` in the plan (pure): which targets are marked, and the lines people read. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ObservedTarget, RetiredTarget } from '../../src/core/state.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { describeSuspension, suspendedEnvironments, suspendedGate } from '../../src/plan/suspension.js';
import { desiredState, server } from '../helpers/desired-state.js';

const renderer = { render: () => ({}) };

function retired(env: string, name: string, suspend: boolean, environmentRemoved: boolean): RetiredTarget {
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
      sync: { drift: 'correct', prune: true, maxDeletions: 3, suspend },
      targets: [target],
      fleet: [],
      hooks: [],
    },
    target,
    environmentRemoved,
  };
}

const found = (env: string, target: string, servers: string[]): ObservedTarget => ({
  environment: env,
  target,
  reachable: true,
  servers: servers.map((name) => ({ name, spec: server(name).spec, specHash: server(name).specHash })),
});

describe('suspension in the plan', () => {
  test("every target of a suspended environment is marked, its removed targets too; a removed environment's old suspend is history", () => {
    const desired = desiredState(
      { laptop: [server('a')] },
      { sync: { suspend: true, suspendReason: 'rolled back to dev/v1.0.0' } },
    );
    desired.retired = [retired('dev', 'old', false, false), retired('gone', 'box', true, true)];
    const plan = buildPlan({
      desired,
      observed: [found('dev', 'laptop', []), found('dev', 'old', ['x']), found('gone', 'box', ['y'])],
      renderers: () => renderer,
    });
    const mark = (t: string) => plan.targets.find((p) => p.target === t)?.suspended;
    assert.deepEqual(mark('laptop'), { reason: 'rolled back to dev/v1.0.0' });
    assert.deepEqual(mark('old'), { reason: 'rolled back to dev/v1.0.0' }, 'no prune while suspended');
    assert.equal(mark('box'), undefined, 'a removed environment cannot be resumed, so it is not suspended');
    assert.deepEqual(suspendedEnvironments(plan), [
      { environment: 'dev', reason: 'rolled back to dev/v1.0.0' },
    ]);
  });

  test('not suspended: no mark', () => {
    const plan = buildPlan({
      desired: desiredState({ laptop: [server('a')] }),
      observed: [found('dev', 'laptop', [])],
      renderers: () => renderer,
    });
    assert.equal(plan.targets[0]?.suspended, undefined);
    assert.deepEqual(suspendedEnvironments(plan), []);
  });

  test('the gate says what holds the environment and how to end it', () => {
    assert.equal(
      suspendedGate('dev'),
      'environment dev is suspended (sync.suspend; mcp-gitops resume --env dev)',
    );
    assert.equal(
      describeSuspension({ environment: 'dev', reason: 'incident 42' }),
      'environment dev is suspended (sync.suspend; mcp-gitops resume --env dev): incident 42',
    );
  });
});
