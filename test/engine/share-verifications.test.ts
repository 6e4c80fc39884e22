/** A client's entry for a server another target of the environment runs shares that server's verification. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shareVerifications } from '../../src/engine/share-verifications.js';
import type { ServerCheck, TargetRun } from '../../src/engine/types.js';

const check = (health: ServerCheck['health']): ServerCheck => ({
  ok: health === 'healthy',
  health,
  attempts: 1,
  durationMs: 5,
  endpoint: 'http://127.0.0.1:38201/mcp',
});

function run(
  environment: string,
  target: string,
  provider: string,
  verified: [string, ServerCheck][],
): TargetRun {
  return {
    environment,
    target,
    provider,
    host: 'local',
    observed: { environment, target, reachable: true, servers: [] },
    results: [
      { server: 'everything', action: 'noop', outcome: 'unchanged' },
      { server: 'memory', action: 'noop', outcome: 'unchanged' },
    ],
    verified: new Map(verified),
  };
}

test("the laptop's entry takes the health the process target's server was just verified with", () => {
  const laptop = run('dev', 'laptop', 'client-config', [['memory', check('healthy')]]);
  const vm = run('dev', 'vm', 'process', [['everything', check('unhealthy')]]);
  const otherEnv = run('prod', 'laptop', 'client-config', []);
  shareVerifications([laptop, vm, otherEnv]);
  assert.equal(laptop.verified.get('everything')?.health, 'unhealthy');
  assert.equal(laptop.verified.get('memory')?.health, 'healthy', 'its own verification stays');
  assert.equal(otherEnv.verified.size, 0, 'another environment is another server');
  assert.equal(vm.verified.has('memory'), false, 'only client entries borrow');
});
