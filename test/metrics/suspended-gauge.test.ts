/**
 * `mcp_gitops_environment_suspended{environment}` from real runs of the engine (real git,
 * in-memory targets): 1 while an environment's `sync.suspend` is true, 0 once resumed, gone with
 * the environment; the real `promtool check metrics` accepts the output.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { recordRun } from '../../src/metrics/record-run.js';
import { requireTools } from '../helpers/require-tools.js';
import { createEngineFixture, environmentYaml } from './engine-fixture.js';
import { parseSamples, promtoolCheckMetrics } from './promtool.js';

requireTools('promtool');

const fx = createEngineFixture();
after(() => fx.repo.cleanup());
const metrics = createMetrics();

async function suspendedGauge(): Promise<Record<string, number>> {
  const result = await fx.run();
  recordRun(metrics, result, { durationSeconds: 0.1, finishedAt: 1_700_000_000_000 });
  const text = await metrics.registry.metrics();
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.code, 0, `promtool check metrics:\n${lint.output}`);
  return Object.fromEntries(
    parseSamples(text)
      .filter((s) => s.name === 'mcp_gitops_environment_suspended')
      .map((s) => [s.labels.environment, s.value]),
  );
}

const dev = (suspend: boolean) =>
  environmentYaml('dev', 'correct', ['laptop', 'desk'], ['a', 'b']).replace(
    '    prune: false\n',
    `    prune: false\n${suspend ? '    suspend: true\n' : ''}`,
  );

test('the suspended gauge follows sync.suspend per environment and goes with the environment', async () => {
  fx.repo.write('environments/dev.yaml', dev(true));
  fx.repo.commitAll('suspend dev');
  assert.deepEqual(await suspendedGauge(), { dev: 1, prod: 0 });
  assert.equal(fx.provider.state('laptop').size, 0, 'nothing applied to the suspended environment');

  fx.repo.write('environments/dev.yaml', dev(false));
  fx.repo.commitAll('resume dev');
  assert.deepEqual(await suspendedGauge(), { dev: 0, prod: 0 });

  fx.repo.git('rm', '-q', 'environments/prod.yaml');
  fx.repo.commitAll('remove prod');
  assert.deepEqual(await suspendedGauge(), { dev: 0 });
});
