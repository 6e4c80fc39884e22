import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, sortDiagnostics } from '../../src/core/diagnostics.js';
import { builtinPolicyNames } from '../../src/policy/builtin-policies.js';
import { evaluatePolicies } from '../../src/policy/evaluate-policies.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

const repository = (policies: string) => `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: platform }
spec:
  branch: main
  policies: [${policies}]
`;

const servers = `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: memory, labels: { tier: core } }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "^1.2.0" }
  transport: stdio
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: everything }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-everything", version: "2026.8.31" }
  transport: streamable-http
  port: 3001
  health: { expectTools: [echo] }
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: image }
spec:
  package: { registryType: oci, identifier: ghcr.io/acme/mcp, version: latest }
  transport: stdio
  health: { expectTools: [run] }
`;

const environments = `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  sync: { prune: true }
  targets: [{ name: laptop, provider: client-config }]
  servers:
    - name: memory
    - name: everything
      overrides: { package: { version: "{{vars.v}}" } }
---
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  vars: { v: "2.0" }
  sync: { prune: true, maxDeletions: 50 }
  targets: [{ name: vm, provider: process }]
  servers:
    - name: memory
    - name: everything
      overrides: { package: { version: "{{vars.v}}" } }
`;

const userPolicy = `apiVersion: mcp-gitops/v1
kind: Policy
metadata: { name: core-needs-description }
spec:
  severity: warning
  message: Core servers in prod must be described
  match: { kinds: [Server], environments: [prod], labels: { tier: core } }
  assert: { properties: { spec: { required: [description] } } }
---
apiVersion: mcp-gitops/v1
kind: Policy
metadata: { name: broken }
spec:
  severity: error
  message: never compiles
  match: {}
  assert: { properties: { spec: { type: nonsense } } }
`;

test('built-in policy names come from the product policies/ folder', () => {
  assert.deepEqual(builtinPolicyNames(), [
    'max-deletions',
    'no-plaintext-secrets',
    'no-sse-transport',
    'oci-digests',
    'pinned-versions',
    'require-health-check',
    'tool-description-hygiene',
    'tools-pinned',
  ]);
});

test('enabled built-ins and user policies are evaluated on servers resolved per environment', () => {
  const config = configFromYaml({
    'mcp-gitops.yaml': repository('pinned-versions, require-health-check, max-deletions, no-such-policy'),
    'servers/s.yaml': servers,
    'environments/e.yaml': environments,
    'policies/p.yaml': userPolicy,
  });
  assert.deepEqual(sortDiagnostics(evaluatePolicies(config)).map(formatDiagnostic), [
    "environments/e.yaml:5:9: error: Environments that prune must set sync.maxDeletions explicitly, at most 10: Environment dev: spec.sync must have required property 'maxDeletions' [policy/max-deletions]",
    'environments/e.yaml:10:40: error: Servers must pin an exact package version (no ranges, no "latest"): Server everything: spec.package.version does not match the required pattern (environment dev) [policy/pinned-versions]',
    'environments/e.yaml:17:38: error: Environments that prune must set sync.maxDeletions explicitly, at most 10: Environment prod: spec.sync.maxDeletions must be <= 10 [policy/max-deletions]',
    'environments/e.yaml:22:40: error: Servers must pin an exact package version (no ranges, no "latest"): Server everything: spec.package.version does not match the required pattern (environment prod) [policy/pinned-versions]',
    'policies/p.yaml:17:11: error: assert is not a valid JSON Schema: assert/properties/spec/type must be equal to one of the allowed values [policy/broken]',
    "servers/s.yaml:5:3: warning: Core servers in prod must be described: Server memory: spec must have required property 'description' (environment prod) [policy/core-needs-description]",
    "servers/s.yaml:5:3: error: Servers must declare health.expectTools (at least one tool verification must find): Server memory: spec.health must have required property 'expectTools' (environments dev, prod) [policy/require-health-check]",
    'servers/s.yaml:5:93: error: Servers must pin an exact package version (no ranges, no "latest"): Server memory: spec.package.version does not match the required pattern (environments dev, prod) [policy/pinned-versions]',
    'servers/s.yaml:21:72: error: Servers must pin an exact package version (no ranges, no "latest"): Server image: spec.package.version does not match the required pattern [policy/pinned-versions]',
  ]);
});

test('pinned-versions accepts exact versions of each registry and a valid repo has no diagnostics', () => {
  const pinned = servers
    .replace('version: "^1.2.0"', 'version: "1.2.0-rc.1+build.5"')
    .replace('version: latest', 'version: "sha256:' + 'a'.repeat(64) + '"')
    .replace('transport: stdio\n---', 'transport: stdio\n  health: { expectTools: [read_graph] }\n---');
  const pypi = `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: py }
spec:
  package: { registryType: pypi, identifier: mcp-server-time, version: "2024.1.post1" }
  transport: stdio
  health: { expectTools: [now] }
`;
  const envs = environments
    .replace('{{vars.v}}', '1.0.0')
    .replace('sync: { prune: true }', 'sync: { prune: true, maxDeletions: 2 }')
    .replace('maxDeletions: 50', 'maxDeletions: 10')
    .replace('{ v: "2.0" }', '{ v: "2.0.1" }');
  const config = configFromYaml({
    'mcp-gitops.yaml': repository('pinned-versions, require-health-check, max-deletions'),
    'servers/s.yaml': pinned,
    'servers/py.yaml': pypi,
    'environments/e.yaml': envs,
  });
  assert.deepEqual(evaluatePolicies(config).map(formatDiagnostic), []);
});
