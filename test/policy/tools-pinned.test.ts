/**
 * The built-in `tools-pinned` policy: every server resolved without `health.tools: pin` in an
 * environment is flagged at the YAML that decides it; environment and target defaults and the
 * entry's overrides count, so a repo pinning through defaults passes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, sortDiagnostics } from '../../src/core/diagnostics.js';
import { evaluatePolicies } from '../../src/policy/evaluate-policies.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

const repository = `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: platform }
spec: { branch: main, policies: [tools-pinned] }
`;

const servers = `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: files }
spec:
  command: { path: /bin/files }
  transport: stdio
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: search }
spec:
  command: { path: /bin/search }
  transport: stdio
  health: { tools: warn }
`;

const environments = (prodHealth: string, entryOverride: string) => `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets: [{ name: laptop, provider: client-config }]
  servers: [{ name: files }]
---
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  ${prodHealth}
  targets: [{ name: vm, provider: client-config }]
  servers:
    - name: files
    - name: search${entryOverride}
`;

function diagnostics(envs: string): string[] {
  const config = configFromYaml({
    'mcp-gitops.yaml': repository,
    'servers/s.yaml': servers,
    'environments/e.yaml': envs,
  });
  return sortDiagnostics(evaluatePolicies(config)).map(formatDiagnostic);
}

test('servers not pinned are flagged per environment, at their file and line', () => {
  assert.deepEqual(diagnostics(environments('', '')), [
    "servers/s.yaml:5:3: error: Servers must run with health.tools pin (the tool surface is held to its reviewed lock): Server files: spec.health must have required property 'tools' (environments dev, prod) [policy/tools-pinned]",
    'servers/s.yaml:14:20: error: Servers must run with health.tools pin (the tool surface is held to its reviewed lock): Server search: spec.health.tools must be equal to constant (environment prod) [policy/tools-pinned]',
  ]);
});

test('an environment default pins what does not say otherwise; an override pins the rest', () => {
  const out = diagnostics(environments('health: { tools: pin }', ''));
  assert.equal(out.length, 2, out.join('\n'));
  assert.match(out[0]!, /Server files: .* \(environment dev\)/);
  assert.match(out[1]!, /Server search: spec\.health\.tools .* \(environment prod\)/);
  const pinned = diagnostics(
    environments('health: { tools: pin }', '\n      overrides: { health: { tools: pin } }').replace(
      'servers: [{ name: files }]',
      'servers: [{ name: files, overrides: { health: { tools: pin } } }]',
    ),
  );
  assert.deepEqual(pinned, []);
});
