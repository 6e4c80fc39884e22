/**
 * `health.tools` precedence when resolving: environment default < target default < the Server's
 * spec.health < the environment entry's overrides; unset everywhere stays unset (the engine then
 * decides by whether a lock exists), so servers that never mention it keep their spec hash.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveDesiredState } from '../../src/resolve/index.js';
import { configFromYaml } from './config-from-yaml.js';

const servers = `
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: plain }
spec: { command: { path: /bin/plain }, transport: stdio }
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: warned }
spec: { command: { path: /bin/warned }, transport: stdio, health: { tools: warn } }
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: overridden }
spec: { command: { path: /bin/overridden }, transport: stdio, health: { tools: warn } }
`;

const environment = (health: string, targetHealth: string) => `
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  ${health}
  targets:
    - { name: a, provider: client-config ${targetHealth} }
    - { name: b, provider: client-config }
  servers:
    - name: plain
    - name: warned
    - name: overridden
      overrides: { health: { tools: ignore } }
`;

function modes(envYaml: string) {
  const config = configFromYaml({ 'servers/s.yaml': servers, 'environments/prod.yaml': envYaml });
  const desired = resolveDesiredState(config);
  const out: Record<string, unknown> = {};
  for (const t of desired.environments[0]!.targets)
    for (const s of t.servers) out[`${t.name}/${s.name}`] = s.spec.health?.tools;
  return { out, desired };
}

test('environment and target defaults fill health.tools only where the server does not set it', () => {
  const { out } = modes(environment('health: { tools: pin }', ', health: { tools: ignore }'));
  assert.deepEqual(out, {
    'a/plain': 'ignore',
    'a/warned': 'warn',
    'a/overridden': 'ignore',
    'b/plain': 'pin',
    'b/warned': 'warn',
    'b/overridden': 'ignore',
  });
});

test('unset everywhere stays unset, and the spec hash is the one it had before health.tools existed', () => {
  const { out, desired } = modes(environment('', ''));
  assert.equal(out['b/plain'], undefined);
  const plain = desired.environments[0]!.targets[1]!.servers.find((s) => s.name === 'plain')!;
  assert.deepEqual(plain.spec.health, { timeoutMs: 10000 });
  const pinned = modes(
    environment('health: { tools: pin }', ''),
  ).desired.environments[0]!.targets[1]!.servers.find((s) => s.name === 'plain')!;
  assert.notEqual(pinned.specHash, plain.specHash, 'switching the mode is a spec change the plan shows');
});
