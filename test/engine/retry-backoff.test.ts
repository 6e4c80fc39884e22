/**
 * A failed revision backs off in the steady loop: the policy (pure) and the engine holding an
 * environment (real git, in-memory target): nothing applied, not a new failure, its reports left
 * exactly as the failed attempt wrote them, so retries make no commits.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { reconcile } from '../../src/engine/reconcile.js';
import type { EngineDeps, RunResult } from '../../src/engine/types.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { createLogger } from '../../src/log/logger.js';
import { RetryBackoff } from '../../src/steady/retry-backoff.js';
import { fakeVerify, MemoryProvider } from '../helpers/memory-provider.js';
import { createTempRepo } from '../helpers/temp-repo.js';
import { environmentYaml, serverYaml } from '../metrics/engine-fixture.js';

function result(env: string, outcome: 'failed' | 'applied', held = false): RunResult {
  return {
    plan: { environments: [env] },
    environments: [{ environment: env, hooks: [], ...(held ? { held: 'x' } : {}) }],
    targets: [{ environment: env, results: [{ server: 'a', action: 'update', outcome }] }],
  } as unknown as RunResult;
}

describe('retry backoff', () => {
  test('one interval, then two, then four; a new revision or a success resets', () => {
    const b = new RetryBackoff(1000);
    b.record(result('dev', 'failed'), 'r1', 0);
    assert.match(b.holds('r1', 999).get('dev') ?? '', /the last attempt at r1 failed; retrying in 1 s/);
    assert.equal(b.holds('r1', 1000).size, 0);
    b.record(result('dev', 'failed'), 'r1', 1000);
    assert.equal(b.holds('r1', 2999).size, 1);
    assert.equal(b.holds('r1', 3000).size, 0);
    b.record(result('dev', 'failed'), 'r1', 3000);
    assert.match(b.holds('r1', 3000).get('dev') ?? '', /last 3 attempts at r1 failed; retrying in 4 s/);
    // A held pass says nothing about the environment: it stays held.
    b.record(result('dev', 'applied', true), 'r1', 4000);
    assert.equal(b.holds('r1', 4000).size, 1);
    assert.equal(b.holds('r2', 4000).size, 0, 'a new revision is tried at once');
    b.record(result('dev', 'applied'), 'r1', 8000);
    assert.equal(b.holds('r1', 8000).size, 0);
  });

  test('a held environment applies nothing, is not failed and keeps its failed reports', async () => {
    const repo = createTempRepo('mcp-gitops-hold-');
    after(() => repo.cleanup());
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: hold\nspec:\n  branch: main\n',
    );
    repo.write('servers/a.yaml', serverYaml('a'));
    repo.write('environments/dev.yaml', environmentYaml('dev', 'correct', ['laptop'], ['a']));
    repo.commitAll('config');
    const provider = new MemoryProvider();
    provider.failApply.add('a');
    const deps: Partial<EngineDeps> = {
      provider: () => provider,
      createHost: () => new LocalHost({ home: repo.dir }),
      verify: fakeVerify,
      logger: createLogger({ level: 'silent' }),
    };
    const first = await reconcile({ repoDir: repo.dir, deps });
    assert.equal(first.failed, true);
    const head = repo.git('rev-parse', 'HEAD');
    const applies = provider.applied.length;

    const held = await reconcile({
      repoDir: repo.dir,
      deps,
      hold: new Map([['dev', 'not applied: retrying later']]),
    });
    assert.equal(provider.applied.length, applies, 'nothing applied');
    assert.equal(held.failed, false);
    assert.equal(held.environments[0]?.held, 'not applied: retrying later');
    assert.equal(held.commit, undefined);
    assert.equal(repo.git('rev-parse', 'HEAD'), head, 'the failed attempt’s report stands');
  });
});
