/**
 * The built-in `no-sse-transport` policy: off unless mcp-gitops.yaml enables it; when enabled, a
 * server using the deprecated HTTP+SSE transport is warned about at the YAML that says so (a
 * remote one included), and stdio or streamable-http servers are not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDiagnostic, sortDiagnostics } from '../../src/core/diagnostics.js';
import { evaluatePolicies } from '../../src/policy/evaluate-policies.js';
import { configFromYaml } from '../resolve/config-from-yaml.js';

const repository = (policies: string) => `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: platform }
spec: { branch: main, policies: [${policies}] }
`;

const servers = `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: legacy }
spec:
  remote: { url: https://mcp.example.com/sse }
  transport: sse
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: modern }
spec:
  remote: { url: https://mcp.example.com/mcp }
  transport: streamable-http
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: local }
spec:
  command: { path: /bin/local }
  transport: stdio
`;

const environment = `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  targets: [{ name: laptop, provider: client-config }]
  servers: [{ name: legacy }, { name: modern }, { name: local }]
`;

function diagnostics(policies: string): string[] {
  const config = configFromYaml({
    'mcp-gitops.yaml': repository(policies),
    'servers/s.yaml': servers,
    'environments/e.yaml': environment,
  });
  return sortDiagnostics(evaluatePolicies(config)).map(formatDiagnostic);
}

test('enabled: only the server on transport sse is warned about, at its transport line', () => {
  assert.deepEqual(diagnostics('no-sse-transport'), [
    'servers/s.yaml:6:14: warning: Servers should not use the deprecated HTTP+SSE transport (transport sse); use streamable-http: Server legacy: spec.transport has a value the policy forbids (environment prod) [policy/no-sse-transport]',
  ]);
});

test('off by default: a repo that does not enable it hears nothing about sse', () => {
  assert.deepEqual(diagnostics(''), []);
});
