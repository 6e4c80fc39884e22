/**
 * `sync.suspend` as a gate of the engine loop, against an in-memory target: nothing is applied to
 * a suspended environment (creates, updates, prunes, drift repairs), while it is still observed,
 * planned and its drift hook runs; it is not a failure (no gate, no failure hook), and other
 * environments go on.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { HookResource } from '../../src/core/resources.js';
import type { DesiredState } from '../../src/core/state.js';
import { createEffects } from '../../src/engine/effects.js';
import { runLoop } from '../../src/engine/run-loop.js';
import type { EngineDeps } from '../../src/engine/types.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { createLogger } from '../../src/log/logger.js';
import { desiredState, server } from '../helpers/desired-state.js';
import { fakeVerify, MemoryProvider } from '../helpers/memory-provider.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-suspend-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function deps(provider: MemoryProvider): EngineDeps {
  return {
    provider: () => provider,
    createHost: () => new LocalHost({ home: root }),
    verify: fakeVerify,
    secrets: { resolve: async (ref) => `value-of-${ref}` },
    logger: createLogger({ level: 'silent' }),
  };
}

const run = (p: MemoryProvider, desired: DesiredState) =>
  runLoop({ desired, deps: deps(p), effects: createEffects(false), root });

/** A hook that leaves `<event>.ran` in the temp dir when it runs. */
function marker(event: 'preApply' | 'postApply' | 'drift' | 'failure'): HookResource {
  return {
    apiVersion: 'mcp-gitops/v1',
    kind: 'Hook',
    metadata: { name: `mark-${event.toLowerCase()}` },
    spec: {
      events: [event],
      onFailure: 'continue',
      run: { command: 'sh', args: ['-c', `touch ${path.join(root, `${event}.ran`)}`] },
    },
  };
}
const ran = (event: string) => fs.existsSync(path.join(root, `${event}.ran`));
const clearMarks = () => {
  for (const f of fs.readdirSync(root)) if (f.endsWith('.ran')) fs.rmSync(path.join(root, f));
};
const hooks = [marker('preApply'), marker('postApply'), marker('drift'), marker('failure')];
const GATE = 'not applied: environment dev is suspended (sync.suspend; mcp-gitops resume --env dev)';

describe('a suspended environment gets no applies', () => {
  test('nothing is created; the reason is data on every held change; not a failure', async () => {
    clearMarks();
    const p = new MemoryProvider();
    const out = await run(
      p,
      desiredState(
        { laptop: [server('a'), server('b')] },
        { sync: { suspend: true, suspendReason: 'incident 42' }, hooks },
      ),
    );
    assert.deepEqual(p.applied, []);
    assert.deepEqual(out.plan.targets[0]?.suspended, { reason: 'incident 42' });
    assert.deepEqual(
      out.targets[0]?.results.map((r) => `${r.server}:${r.action}:${r.outcome}:${r.message}`),
      [`a:create:skipped:${GATE}`, `b:create:skipped:${GATE}`],
    );
    const env = out.environments[0];
    assert.equal(env?.suspended, GATE.replace('not applied: ', ''));
    assert.equal(env?.gate, undefined, 'suspension is not a gate that fails the run');
    assert.equal(out.targets[0]?.verified.size, 0);
    assert.deepEqual(
      ['preApply', 'postApply', 'drift', 'failure'].filter(ran),
      [],
      'no preApply (nothing to apply), no postApply, no failure hook',
    );
  });

  test('drift is observed and reported (drift hook), not repaired; prunes past maxDeletions are held, not blocked', async () => {
    const p = new MemoryProvider();
    await run(p, desiredState({ laptop: [server('a'), server('b'), server('c'), server('d')] }));
    (p.state('laptop').get('a') as { actual: Record<string, unknown> }).actual = {
      command: 'hand-edited',
      env: {},
    };
    p.applied.length = 0;
    clearMarks();
    const out = await run(
      p,
      desiredState({ laptop: [server('a')] }, { sync: { suspend: true, maxDeletions: 1 }, hooks }),
    );
    assert.equal(out.plan.summary.drifted, 1);
    assert.equal(out.plan.summary.delete, 3);
    assert.equal(out.plan.blocked.length, 1, 'the plan still says maxDeletions would block');
    assert.match(out.environments[0]?.suspended ?? '', /environment dev is suspended/);
    assert.equal(out.environments[0]?.gate, undefined);
    assert.deepEqual(p.applied, []);
    assert.equal(p.state('laptop').size, 4);
    assert.equal(p.state('laptop').get('a')?.actual.command, 'hand-edited');
    assert.deepEqual(
      ['preApply', 'postApply', 'drift', 'failure'].filter(ran),
      ['drift'],
      'drift is still reported through its hook',
    );

    // Resumed: the same desired state is applied (drift repaired; deletions now blocked by the gate).
    const resumed = await run(p, desiredState({ laptop: [server('a')] }, { sync: { maxDeletions: 3 } }));
    assert.equal(resumed.environments[0]?.suspended, undefined);
    assert.deepEqual(p.applied.sort(), [
      'delete laptop/b',
      'delete laptop/c',
      'delete laptop/d',
      'update laptop/a',
    ]);
    assert.equal(p.state('laptop').get('a')?.actual.command, '/bin/a');
  });

  test('another environment in the same run is applied', async () => {
    const p = new MemoryProvider();
    const dev = desiredState({ laptop: [server('a')] }, { sync: { suspend: true } });
    const prod = desiredState({ vm: [server('b')] }, { env: 'prod' });
    const out = await run(p, { ...dev, environments: [...dev.environments, ...prod.environments] });
    assert.deepEqual(p.applied, ['create vm/b']);
    assert.deepEqual(
      out.environments.map((e) => `${e.environment}:${e.suspended ? 'suspended' : 'applied'}`),
      ['dev:suspended', 'prod:applied'],
    );
    assert.equal(out.plan.targets.find((t) => t.environment === 'prod')?.suspended, undefined);
  });
});
