/**
 * Policy evaluation and `resolveDesiredState` resolve the same placements of one ConfigSet: each
 * server is rendered once per target and both get that one spec; another ConfigSet, another
 * target or another environment entry gets its own.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { placementSubjects, policySubjects } from '../../src/policy/policy-subjects.js';
import { resolveDesiredState } from '../../src/resolve/index.js';
import { configFromYaml } from './config-from-yaml.js';

const files = {
  'servers/memory.yaml': `
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: memory }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "2026.8.31" }
  transport: stdio
  env: { DATA: "{{vars.dataDir}}/{{target.name}}" }
`,
  'environments/dev.yaml': `
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  vars: { dataDir: /d }
  targets:
    - { name: a, provider: client-config, clients: [claude-code] }
    - { name: b, provider: client-config, clients: [cursor] }
  servers:
    - name: memory
`,
};

describe('one resolution per placement', () => {
  test('policies and the desired state share the spec of each server on each target', () => {
    const config = configFromYaml(files);
    const subjects = policySubjects(config);
    const group = subjects.servers[0]!;
    const judged = placementSubjects(group, group.placements[0]!).map(
      (s) => (s.resource as { spec: unknown }).spec,
    );
    const desired = resolveDesiredState(config);
    const [a, b] = desired.environments[0]!.targets.map((t) => t.servers[0]!.spec);
    assert.deepEqual(a?.env, { DATA: '/d/a' });
    assert.deepEqual(b?.env, { DATA: '/d/b' });
    assert.notEqual(a, b);
    assert.ok(judged.includes(a!) && judged.includes(b!), 'the policy subjects are the resolved specs');
    assert.equal(resolveDesiredState(config).environments[0]!.targets[0]!.servers[0]!.spec, a);
  });

  test('another ConfigSet of the same files resolves afresh', () => {
    const first = resolveDesiredState(configFromYaml(files)).environments[0]!.targets[0]!.servers[0]!;
    const second = resolveDesiredState(configFromYaml(files)).environments[0]!.targets[0]!.servers[0]!;
    assert.notEqual(first.spec, second.spec);
    assert.deepEqual(first.spec, second.spec);
    assert.equal(first.specHash, second.specHash);
  });
});
