/**
 * Policies judge a server once as written for the environments that resolve it identically where
 * the policy looks, and fully resolved for the others. These tests pin where that line falls:
 * a template or an override under a field the policy reads makes the verdict per environment.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, sortDiagnostics } from '../../src/core/diagnostics.js';
import { assertReads, seesChange, specReads } from '../../src/policy/assert-reads.js';
import { evaluatePolicies } from '../../src/policy/evaluate-policies.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

const repository = `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: platform }
spec: { branch: main, policies: [pinned-versions] }
`;

const server = `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: files }
spec:
  package: { registryType: npm, identifier: "@acme/files", version: "^1.0.0" }
  transport: stdio
  env: { DATA_DIR: "{{vars.dataDir}}/files" }
`;

const environments = `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  vars: { dataDir: /tmp }
  targets: [{ name: laptop, provider: client-config }]
  servers: [{ name: files }]
---
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  vars: { dataDir: /srv }
  targets: [{ name: laptop, provider: client-config }]
  servers:
    - name: files
      overrides: { env: { LOG_LEVEL: debug } }
`;

function policy(name: string, match: string, assertion: string): string {
  return `apiVersion: mcp-gitops/v1
kind: Policy
metadata: { name: ${name} }
spec:
  severity: error
  message: ${name} fails
  match: ${match}
  assert: ${assertion}
`;
}

function run(files: Record<string, string>): string[] {
  return sortDiagnostics(evaluatePolicies(configFromYaml(files))).map(formatDiagnostic);
}

test('a violation no template or override reaches is reported once for every environment', () => {
  assert.deepEqual(
    run({ 'mcp-gitops.yaml': repository, 'servers/files.yaml': server, 'environments/e.yaml': environments }),
    [
      'servers/files.yaml:5:69: error: Servers must pin an exact package version (no ranges, no "latest"): Server files: spec.package.version does not match the required pattern (environments dev, prod) [policy/pinned-versions]',
    ],
  );
});

test('a policy restricted to some environments names only those', () => {
  const restricted = policy(
    'prod-pins',
    '{ kinds: [Server], environments: [prod] }',
    '{ properties: { spec: { properties: { package: { properties: { version: { pattern: "^[0-9]" } } } } } } }',
  );
  assert.deepEqual(
    run({
      'mcp-gitops.yaml': repository.replace('[pinned-versions]', '[]'),
      'servers/files.yaml': server,
      'environments/e.yaml': environments,
      'policies/p.yaml': restricted,
    }),
    [
      'servers/files.yaml:5:69: error: prod-pins fails: Server files: spec.package.version does not match the required pattern (environment prod) [policy/prod-pins]',
    ],
  );
});

test('a templated field the policy reads is judged per environment, rendered', () => {
  const underSrv = policy(
    'data-under-srv',
    '{ kinds: [Server] }',
    '{ properties: { spec: { properties: { env: { properties: { DATA_DIR: { pattern: "^/srv/" } } } } } } }',
  );
  assert.deepEqual(
    run({
      'mcp-gitops.yaml': repository.replace('[pinned-versions]', '[]'),
      'servers/files.yaml': server,
      'environments/e.yaml': environments,
      'policies/p.yaml': underSrv,
    }),
    [
      'servers/files.yaml:7:20: error: data-under-srv fails: Server files: spec.env.DATA_DIR does not match the required pattern (environment dev) [policy/data-under-srv]',
    ],
  );
});

test('an override the policy reads is judged per environment, at the override', () => {
  const noDebug = policy(
    'no-debug-logs',
    '{ kinds: [Server] }',
    '{ properties: { spec: { properties: { env: { properties: { LOG_LEVEL: { not: { const: debug } } } } } } } }',
  );
  assert.deepEqual(
    run({
      'mcp-gitops.yaml': repository.replace('[pinned-versions]', '[]'),
      'servers/files.yaml': server,
      'environments/e.yaml': environments,
      'policies/p.yaml': noDebug,
    }),
    [
      'environments/e.yaml:17:38: error: no-debug-logs fails: Server files: spec.env.LOG_LEVEL has a value the policy forbids (environment prod) [policy/no-debug-logs]',
    ],
  );
});

test('overriding the transport changes the default path a policy reads', () => {
  const http = server.replace('transport: stdio', 'transport: stdio\n  port: 3000');
  const envs = environments.replace(
    'overrides: { env: { LOG_LEVEL: debug } }',
    'overrides: { transport: streamable-http }',
  );
  const pathPolicy = policy(
    'no-path',
    '{ kinds: [Server] }',
    '{ properties: { spec: { not: { required: [path] } } } }',
  );
  assert.deepEqual(
    run({
      'mcp-gitops.yaml': repository.replace('[pinned-versions]', '[]'),
      'servers/files.yaml': http,
      'environments/e.yaml': envs,
      'policies/p.yaml': pathPolicy,
    }),
    [
      'servers/files.yaml:5:3: error: no-path fails: Server files: spec has a value the policy forbids (environment prod) [policy/no-path]',
    ],
  );
});

test('assertReads follows properties and in-place applicators, and widens on anything else', () => {
  const reads = assertReads({
    type: 'object',
    properties: {
      spec: {
        required: ['health'],
        allOf: [
          {
            if: { properties: { transport: { const: 'sse' } } },
            // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword
            then: { properties: { port: { minimum: 1 } } },
          },
        ],
        properties: { env: { additionalProperties: { type: 'string' } }, secrets: false },
      },
    },
  });
  const show = reads.map((r) => `${r.path.join('.') || '(root)'}${r.deep ? '' : ' (shallow)'}`).sort();
  assert.deepEqual(show, [
    '(root) (shallow)',
    'spec.env',
    'spec.health (shallow)',
    'spec.port',
    'spec.secrets (shallow)',
    'spec.transport',
  ]);
  assert.deepEqual(
    assertReads({ $ref: '#/$defs/x' }).map((r) => [r.path, r.deep]),
    [[[], true]],
  );
});

test('seesChange: templates change text only; overrides also presence; list positions are not compared', () => {
  const reads = (path: string[], deep: boolean) => specReads([{ path, deep }]);
  const version = reads(['spec', 'package', 'version'], true);
  const health = reads(['spec', 'health'], false);
  assert.equal(seesChange(version, ['package', 'version'], 'template'), true);
  assert.equal(seesChange(version, ['package', 'packageArguments', 2], 'template'), false);
  assert.equal(seesChange(version, ['package'], 'override'), true);
  assert.equal(seesChange(version, ['package', 'versions'], 'override'), false);
  assert.equal(seesChange(health, ['health', 'expectTools', 0], 'template'), false);
  assert.equal(seesChange(health, ['health'], 'override'), true);
  assert.equal(seesChange(health, ['health', 'timeoutMs'], 'override'), false);
  assert.equal(seesChange(reads(['spec', 'secrets'], true), ['secrets', 1, 'ref'], 'template'), true);
  assert.equal(seesChange(reads(['spec', 'path'], true), ['remote'], 'override'), true);
  assert.equal(seesChange(reads(['metadata', 'name'], true), ['env', 'X'], 'override'), false);
  assert.equal(seesChange(reads([], true), ['env', 'X'], 'template'), true);
});
