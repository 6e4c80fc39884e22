/**
 * The built-in `oci-digests` policy: off unless mcp-gitops.yaml enables it; when enabled, every
 * OCI server (as resolved per environment) whose version is not `TAG@sha256:<64 hex>` or
 * `sha256:<64 hex>` is an error at the YAML line of that version; npm servers are not judged. And
 * `pinned-versions` accepts a tag with its digest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, sortDiagnostics } from '../../src/core/diagnostics.js';
import { builtinPolicies } from '../../src/policy/builtin-policies.js';
import { evaluatePolicies } from '../../src/policy/evaluate-policies.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;

const repository = (policies: string) => `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: platform }
spec: { branch: main, policies: [${policies}] }
`;

const server = (name: string, pkg: string) => `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: ${name} }
spec:
  package: ${pkg}
  transport: streamable-http
`;

const servers = [
  server('tagged', '{ registryType: oci, identifier: ghcr.io/acme/tagged, version: "1.2.3" }'),
  server('pinned', `{ registryType: oci, identifier: ghcr.io/acme/pinned, version: "1.2.3@${D}" }`),
  server('bare', `{ registryType: oci, identifier: ghcr.io/acme/bare, version: "${D}" }`),
  server('short', '{ registryType: oci, identifier: ghcr.io/acme/short, version: "1.2.3@sha256:abc" }'),
  server('node', '{ registryType: npm, identifier: "@acme/node", version: "1.0.0" }'),
].join('---\n');

const environment = `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  targets: [{ name: box, provider: container }]
  servers:
    - name: tagged
    - name: pinned
      overrides: { package: { registryType: oci, identifier: ghcr.io/acme/pinned, version: "1.2.4" } }
    - name: bare
    - name: short
    - name: node
`;

function diagnostics(policies: string): string[] {
  const config = configFromYaml({
    'mcp-gitops.yaml': repository(policies),
    'servers/s.yaml': servers,
    'environments/e.yaml': environment,
  });
  return sortDiagnostics(evaluatePolicies(config)).map(formatDiagnostic);
}

const MESSAGE =
  'error: OCI servers must pin the image digest (version "1.2.3@sha256:<64 hex>" or "sha256:<64 hex>")';

test('enabled: each OCI pin without a digest is an error at its version, per environment', () => {
  assert.deepEqual(diagnostics('oci-digests'), [
    `environments/e.yaml:9:92: ${MESSAGE}: Server pinned: spec.package.version does not match the required pattern (environment prod) [policy/oci-digests]`,
    `servers/s.yaml:5:75: ${MESSAGE}: Server tagged: spec.package.version does not match the required pattern (environment prod) [policy/oci-digests]`,
    `servers/s.yaml:26:74: ${MESSAGE}: Server short: spec.package.version does not match the required pattern (environment prod) [policy/oci-digests]`,
  ]);
});

test('off by default, and registered as a built-in error policy', () => {
  assert.deepEqual(diagnostics(''), []);
  const builtin = builtinPolicies().get('oci-digests');
  assert.equal(builtin?.file, 'policies/oci-digests.yaml');
  assert.equal(builtin?.resource.spec.severity, 'error');
  assert.equal(builtin?.enabledByDefault, false);
});

test('pinned-versions accepts a tag with its digest and a bare digest, not a malformed digest', () => {
  assert.deepEqual(diagnostics('pinned-versions'), [
    'servers/s.yaml:26:74: error: Servers must pin an exact package version (no ranges, no "latest"): Server short: spec.package.version does not match the required pattern (environment prod) [policy/pinned-versions]',
  ]);
});
