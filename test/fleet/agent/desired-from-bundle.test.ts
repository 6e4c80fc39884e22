import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desiredFromBundle } from '../../../src/fleet/agent/desired-from-bundle.js';
import type { FleetBundle } from '../../../src/fleet/protocol.js';
import { laptopTarget, memoryServer } from './agent-hub.js';

function bundle(sync: Partial<FleetBundle['sync']> = {}): FleetBundle {
  const target = laptopTarget([memoryServer('memory', '/tmp/m.jsonl')]);
  // A hub must never send `home`; if one does, the agent's own home is used anyway.
  target.settings = { ...target.settings, home: '/etc', projectDir: '~/src/app' };
  return {
    schema: 'mcp-gitops/fleet-bundle/v1',
    machineId: 'm-1',
    environment: 'dev',
    revision: 'r'.repeat(40),
    issuedAt: '2026-01-01T00:00:00.000Z',
    sync: { drift: 'warn', prune: false, suspend: false, ...sync },
    targets: [target],
  };
}

test('a bundle becomes one environment of local client-config targets, without home', () => {
  const desired = desiredFromBundle(bundle());
  assert.equal(desired.revision, 'r'.repeat(40));
  assert.equal(desired.environments.length, 1);
  const env = desired.environments[0]!;
  assert.equal(env.name, 'dev');
  assert.deepEqual(env.sync, { drift: 'warn', prune: false, maxDeletions: 3, suspend: false });
  assert.deepEqual(env.fleet, []);
  assert.deepEqual(env.hooks, []);
  const target = env.targets[0]!;
  assert.deepEqual(
    { environment: target.environment, name: target.name, provider: target.provider, host: target.host },
    { environment: 'dev', name: 'laptops', provider: 'client-config', host: 'local' },
  );
  assert.equal(target.settings.home, undefined);
  assert.equal(target.settings.projectDir, '~/src/app');
  assert.deepEqual(target.settings.clients, ['claude-code']);
  assert.deepEqual(
    target.servers.map((s) => s.name),
    ['memory'],
  );
});

test('removeAll (uninstall --prune): no servers, prune on, not gated, not suspended', () => {
  const env = desiredFromBundle(bundle({ suspend: true }), { removeAll: true }).environments[0]!;
  assert.deepEqual(env.targets[0]!.servers, []);
  assert.equal(env.sync.prune, true);
  assert.equal(env.sync.suspend, false);
  assert.equal(env.sync.maxDeletions, Number.MAX_SAFE_INTEGER);
});

test("the hub's maxDeletions is used when a bundle carries one", () => {
  const b = bundle();
  (b.sync as Record<string, unknown>).maxDeletions = 10;
  assert.equal(desiredFromBundle(b).environments[0]!.sync.maxDeletions, 10);
});
