/**
 * `health.minProtocolVersion` precedence when resolving, like `health.tools`: environment default
 * < target default < the Server's spec.health < the entry's overrides; unset everywhere stays unset
 * so no existing spec hash moves. A value that is not a YYYY-MM-DD revision fails validation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveDesiredState } from '../../src/resolve/index.js';
import { validateConfig } from '../../src/validate/validate-config.js';
import { configFromYaml } from './config-from-yaml.js';

const servers = `
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: plain }
spec: { command: { path: /bin/plain }, transport: stdio }
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: own }
spec: { command: { path: /bin/own }, transport: stdio, health: { minProtocolVersion: '2025-06-18' } }
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
    - name: own
      targets: [a]
      overrides: { health: { minProtocolVersion: '2026-07-28' } }
`;

function resolve(envYaml: string) {
  const config = configFromYaml({ 'servers/s.yaml': servers, 'environments/prod.yaml': envYaml });
  const desired = resolveDesiredState(config);
  const out: Record<string, unknown> = {};
  for (const t of desired.environments[0]!.targets)
    for (const s of t.servers) out[`${t.name}/${s.name}`] = s.spec.health?.minProtocolVersion;
  return { out, desired, config };
}

test('environment and target defaults fill health.minProtocolVersion where the server does not set it', () => {
  const { out } = resolve(
    environment(
      "health: { minProtocolVersion: '2025-03-26' }",
      ", health: { minProtocolVersion: '2025-11-25' }",
    ),
  );
  assert.deepEqual(out, { 'a/plain': '2025-11-25', 'a/own': '2026-07-28', 'b/plain': '2025-03-26' });
});

test('unset everywhere stays unset and keeps the spec hash; a malformed revision is rejected', () => {
  const { out, desired } = resolve(environment('', ''));
  assert.equal(out['b/plain'], undefined);
  const plain = desired.environments[0]!.targets[1]!.servers.find((s) => s.name === 'plain')!;
  assert.deepEqual(plain.spec.health, { timeoutMs: 10000 });
  const bad = configFromYaml({
    'servers/s.yaml': servers,
    'environments/prod.yaml': environment("health: { minProtocolVersion: 'latest' }", ''),
  });
  const diagnostics = validateConfig(bad);
  assert.ok(
    diagnostics.some((d) => JSON.stringify(d).includes('minProtocolVersion')),
    JSON.stringify(diagnostics),
  );
});
