import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { createEffects } from '../../src/engine/effects.js';
import { runLoop } from '../../src/engine/run-loop.js';
import type { EngineDeps } from '../../src/engine/types.js';
import { rollbackChange } from '../../src/engine/verify-changes.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { createLogger } from '../../src/log/logger.js';
import { desiredState, server } from '../helpers/desired-state.js';
import { fakeVerify, MemoryProvider } from '../helpers/memory-provider.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-loop-'));
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

const run = (p: MemoryProvider, desired: ReturnType<typeof desiredState>, dryRun = false) =>
  runLoop({ desired, deps: deps(p), effects: createEffects(dryRun), root });

describe('engine loop against an in-memory target', () => {
  test('creates, verifies, and a second run plans nothing', async () => {
    const p = new MemoryProvider();
    const desired = desiredState({ laptop: [server('a'), server('b', { dependsOn: ['a'] })] });
    const first = await run(p, desired);
    assert.deepEqual(
      first.targets[0]?.results.map((r) => `${r.server}:${r.outcome}`),
      ['a:applied', 'b:applied'],
    );
    assert.equal(first.targets[0]?.verified.get('a')?.health, 'healthy');
    const second = await run(p, desired);
    assert.deepEqual(
      second.targets[0]?.results.map((r) => r.outcome),
      ['unchanged', 'unchanged'],
    );
    assert.deepEqual(p.applied, ['create laptop/a', 'create laptop/b']);
  });

  test('dry run declares apply and verify skipped and touches nothing', async () => {
    const p = new MemoryProvider();
    const effects = createEffects(true);
    const out = await runLoop({
      desired: desiredState({ laptop: [server('a')] }),
      deps: deps(p),
      effects,
      root,
    });
    assert.equal(out.targets[0]?.results[0]?.outcome, 'skipped');
    assert.deepEqual(p.applied, []);
    assert.deepEqual(effects.skipped, ['create a on dev/laptop']);
  });

  test('one failure never stops the others; a dependent of a failed server is skipped', async () => {
    const p = new MemoryProvider();
    p.throwApply.add('a');
    p.failApply.add('c');
    const desired = desiredState({
      laptop: [server('a'), server('b', { dependsOn: ['a'] }), server('c'), server('d')],
    });
    const out = await run(p, desired);
    const r = out.targets[0]?.results ?? [];
    assert.deepEqual(
      r.map((x) => `${x.server}:${x.outcome}`),
      ['a:failed', 'b:skipped', 'c:failed', 'd:applied'],
    );
    assert.match(r[0]?.message ?? '', /boom applying a/);
    assert.equal(r[1]?.message, 'dependency "a" failed');
  });

  test('an unreachable target is stalled and the other target still converges', async () => {
    const p = new MemoryProvider();
    p.unreachable.add('down');
    const out = await run(p, desiredState({ down: [server('a')], up: [server('a')] }));
    const down = out.targets.find((t) => t.target === 'down');
    assert.equal(down?.observed.reachable, false);
    assert.match(down?.observed.reason ?? '', /connection refused/);
    assert.match(
      out.plan.targets.find((t) => t.target === 'down')?.stalled?.reason ?? '',
      /connection refused/,
    );
    assert.equal(out.targets.find((t) => t.target === 'up')?.results[0]?.outcome, 'applied');
  });

  test('a server failing verification is rolled back to its previous spec; a new one is removed', async () => {
    const p = new MemoryProvider();
    await run(p, desiredState({ laptop: [server('a', { env: { V: '1' } })] }));
    const out = await run(
      p,
      desiredState({
        laptop: [
          server('a', { env: { V: '2', BROKEN: '1' } }),
          server('n', { env: { BROKEN: '1' } }),
          server('ok'),
        ],
      }),
    );
    const r = out.targets[0]?.results ?? [];
    assert.deepEqual(
      r.map((x) => `${x.server}:${x.outcome}`),
      ['a:rolled-back', 'n:rolled-back', 'ok:applied'],
    );
    assert.match(
      r[0]?.message ?? '',
      /verification failed: process exited with code 1; rolled back to the previous spec/,
    );
    assert.match(r[1]?.message ?? '', /removed \(it was new\)/);
    const state = p.state('laptop');
    assert.deepEqual(state.get('a')?.spec.env, { V: '1' });
    assert.equal(state.has('n'), false);
    assert.equal(state.has('ok'), true);
  });

  test('maxDeletions gate and drift modes', async () => {
    const p = new MemoryProvider();
    await run(p, desiredState({ laptop: [server('a'), server('b'), server('c')] }));
    const gated = await run(p, desiredState({ laptop: [] }, { sync: { maxDeletions: 2 } }));
    assert.ok(gated.environments[0]?.gate?.includes('more than sync.maxDeletions'));
    assert.deepEqual(
      gated.targets[0]?.results.map((x) => x.outcome),
      ['skipped', 'skipped', 'skipped'],
    );
    assert.equal(p.state('laptop').size, 3);

    (p.state('laptop').get('a') as { actual: Record<string, unknown> }).actual = {
      command: 'hand-edited',
      env: {},
    };
    const warn = await run(
      p,
      desiredState({ laptop: [server('a'), server('b'), server('c')] }, { sync: { drift: 'warn' } }),
    );
    assert.equal(warn.plan.summary.drifted, 1);
    assert.match(warn.targets[0]?.results[0]?.message ?? '', /drift not corrected \(sync.drift: warn\)/);
    const fix = await run(p, desiredState({ laptop: [server('a'), server('b'), server('c')] }));
    assert.equal(fix.targets[0]?.results[0]?.outcome, 'applied');
    assert.equal(p.state('laptop').get('a')?.actual.command, '/bin/a');
  });

  test('a preApply hook that aborts stops the environment before any apply; postApply sees the counts', async () => {
    const p = new MemoryProvider();
    const hook = (
      name: string,
      events: ('preApply' | 'postApply')[],
      command: string,
      args: string[] = [],
    ) => ({
      apiVersion: 'mcp-gitops/v1' as const,
      kind: 'Hook' as const,
      metadata: { name },
      spec: { events, onFailure: 'abort' as const, run: { command, args } },
    });
    const gated = await run(
      p,
      desiredState({ laptop: [server('a')] }, { hooks: [hook('gate', ['preApply'], 'false')] }),
    );
    assert.match(gated.environments[0]?.gate ?? '', /preApply hook "gate" failed/);
    assert.equal(gated.targets[0]?.results[0]?.outcome, 'skipped');
    assert.deepEqual(p.applied, []);
    const out = path.join(root, 'post.txt');
    await run(
      p,
      desiredState(
        { laptop: [server('a')] },
        { hooks: [hook('post', ['postApply'], 'sh', ['-c', `echo "$0" > ${out}`, '{{summary}}'])] },
      ),
    );
    assert.equal(fs.readFileSync(out, 'utf8').trim(), '1 changed, 0 failed, 0 drifted');
  });

  test('rollbackChange of an update goes back to the observed spec', () => {
    const prev = server('a', { env: { V: '1' } });
    const next = server('a', { env: { V: '2' } });
    const back = rollbackChange({
      environment: 'dev',
      target: 't',
      server: 'a',
      action: 'update',
      reason: 'spec',
      diffs: [],
      desired: next,
      observed: { name: 'a', spec: prev.spec, specHash: prev.specHash },
    });
    assert.equal(back.action, 'update');
    assert.equal(back.desired?.specHash, prev.specHash);
    assert.equal(back.observed?.specHash, next.specHash);
  });
});
