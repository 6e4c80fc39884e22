import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { McpGitopsError } from '../../src/core/errors.js';
import type { ServerSpec } from '../../src/core/resources.js';
import {
  normalizeServerSpec,
  resolveDesiredState,
  resolveSync,
  SYNC_DEFAULTS,
  specHash,
} from '../../src/resolve/index.js';
import { configFromYaml } from './config-from-yaml.js';

const servers = `
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: memory }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "2026.8.31", packageArguments: [] }
  transport: stdio
  env: { MEMORY_FILE_PATH: "{{vars.dataDir}}/{{environment.name}}/memory.jsonl", LOG_LEVEL: info, KEEP: "1" }
  secrets: [{ name: API_TOKEN, ref: "env:MEMORY_TOKEN" }]
  dependsOn: [everything]
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: everything }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-everything", version: "2026.8.31", packageArguments: [streamableHttp] }
  transport: streamable-http
  port: 3001
  env: { PORT: "{{server.port}}", WHERE: "{{target.name}}@{{target.host}}" }
  health: { expectTools: [echo] }
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: alpha }
spec:
  command: { path: /usr/bin/alpha, args: ["--dir", "{{target.projectDir}}"] }
  transport: stdio
`;

const environments = `
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  vars: { dataDir: /var/lib/mcp }
  sync: { prune: true }
  targets:
    - { name: laptop, provider: client-config, projectDir: "/home/{{vars.user}}/app" }
    - { name: vm-1, provider: process, host: "ssh://deploy@vm-1:22" }
  servers:
    - name: memory
      targets: [laptop]
      overrides:
        env: { LOG_LEVEL: debug, KEEP: null }
        package: { packageArguments: [--verbose] }
    - name: everything
    - name: alpha
      targets: [laptop]
---
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  vars: { dataDir: /tmp/mcp, user: dev }
  targets: [{ name: laptop, provider: client-config, projectDir: "/home/{{vars.user}}/app" }]
  servers: [{ name: memory }]
`;

function load(envs = environments) {
  return configFromYaml({ 'servers/all.yaml': servers, 'environments/all.yaml': envs });
}

describe('resolveDesiredState', () => {
  test('target settings using an undefined var are an error naming environment, target and field', () => {
    assert.throws(
      () => resolveDesiredState(load()),
      (err: unknown) =>
        err instanceof McpGitopsError &&
        /environment prod, target laptop, field projectDir: .*"user" is not defined/.test(err.message),
    );
  });

  const fixed = environments.replace(
    'vars: { dataDir: /var/lib/mcp }',
    'vars: { dataDir: /var/lib/mcp, user: ops }',
  );

  test('overlays merge objects, replace arrays and delete with null; templates render per target', () => {
    const state = resolveDesiredState(load(fixed));
    const prod = state.environments.find((e) => e.name === 'prod')!;
    const laptop = prod.targets.find((t) => t.name === 'laptop')!;
    const memory = laptop.servers.find((s) => s.name === 'memory')!;
    assert.deepEqual(memory.spec.env, {
      LOG_LEVEL: 'debug',
      MEMORY_FILE_PATH: '/var/lib/mcp/prod/memory.jsonl',
    });
    assert.deepEqual(memory.spec.package?.packageArguments, ['--verbose']);
    assert.deepEqual(
      memory.spec.secrets,
      [{ name: 'API_TOKEN', ref: 'env:MEMORY_TOKEN' }],
      'secret stays a reference',
    );
    const alpha = laptop.servers.find((s) => s.name === 'alpha')!;
    assert.deepEqual(alpha.spec.command, { path: '/usr/bin/alpha', args: ['--dir', '/home/ops/app'] });
    const vm = prod.targets.find((t) => t.name === 'vm-1')!;
    assert.equal(vm.host, 'ssh://deploy@vm-1:22');
    assert.deepEqual(vm.servers[0]!.spec.env, { PORT: '3001', WHERE: 'vm-1@ssh://deploy@vm-1:22' });
    assert.equal(laptop.host, 'local');
    assert.equal(laptop.settings.projectDir, '/home/ops/app');
  });

  test('defaults: repository, sync, http path, health timeout; empty collections dropped', () => {
    const state = resolveDesiredState(load(fixed));
    assert.deepEqual(state.repository, {
      name: 'mcp-gitops',
      branch: 'main',
      reportsDir: 'reports',
      tagPrefix: '{{environment.name}}/v',
      author: { name: 'mcp-gitops', email: 'mcp-gitops@users.noreply.local' },
    });
    const [dev, prod] = state.environments;
    assert.deepEqual([dev!.name, prod!.name], ['dev', 'prod']);
    assert.deepEqual(dev!.sync, { drift: 'correct', prune: false, maxDeletions: 3, suspend: false });
    assert.deepEqual(prod!.sync, { drift: 'correct', prune: true, maxDeletions: 3, suspend: false });
    const everything = prod!.targets[0]!.servers.find((s) => s.name === 'everything')!;
    assert.equal(everything.spec.path, '/mcp');
    assert.deepEqual(everything.spec.health, { expectTools: ['echo'], timeoutMs: 10000 });
    const devMemory = dev!.targets[0]!.servers[0]!;
    assert.equal(devMemory.spec.package?.packageArguments, undefined, 'empty packageArguments omitted');
    assert.equal(devMemory.spec.env?.KEEP, '1');
  });

  test('sync.suspend resolves to true with its reason; a reason without suspend is dropped', () => {
    const suspended = fixed.replace(
      'sync: { prune: true }',
      'sync: { prune: true, suspend: true, suspendReason: "  incident 42  " }',
    );
    const [dev, prod] = resolveDesiredState(load(suspended)).environments;
    assert.deepEqual(prod!.sync, {
      drift: 'correct',
      prune: true,
      maxDeletions: 3,
      suspend: true,
      suspendReason: 'incident 42',
    });
    assert.equal(dev!.sync.suspend, false);
    assert.deepEqual(resolveSync({ suspend: false, suspendReason: 'left over' }), {
      ...SYNC_DEFAULTS,
      suspend: false,
    });
    assert.deepEqual(resolveSync({ suspend: true, suspendReason: ' ' }), { ...SYNC_DEFAULTS, suspend: true });
  });

  test('each target lists servers after their dependencies, alphabetical among peers', () => {
    const prod = resolveDesiredState(load(fixed)).environments.find((e) => e.name === 'prod')!;
    assert.deepEqual(
      prod.targets.map((t) => [t.name, t.servers.map((s) => s.name)]),
      [
        ['laptop', ['alpha', 'everything', 'memory']],
        ['vm-1', ['everything']],
      ],
    );
  });

  test('default targets come from supports(); explicit targets win; filters by environment and target', () => {
    const state = resolveDesiredState(load(fixed), {
      environment: 'prod',
      supports: (server, target) => target.provider === 'client-config' || server.transport !== 'stdio',
    });
    assert.deepEqual(
      state.environments.map((e) => e.name),
      ['prod'],
    );
    const [laptop, vm] = state.environments[0]!.targets;
    assert.deepEqual(
      laptop!.servers.map((s) => s.name),
      ['alpha', 'everything', 'memory'],
    );
    assert.deepEqual(
      vm!.servers.map((s) => s.name),
      ['everything'],
    );
    const onlyVm = resolveDesiredState(load(fixed), { target: 'vm-1' });
    assert.deepEqual(
      onlyVm.environments.map((e) => [e.name, e.targets.map((t) => t.name)]),
      [
        ['dev', []],
        ['prod', ['vm-1']],
      ],
    );
    assert.throws(
      () => resolveDesiredState(load(fixed), { environment: 'nope' }),
      /unknown environment "nope"/,
    );
  });
});

describe('normalizeServerSpec / specHash', () => {
  const a: ServerSpec = {
    transport: 'streamable-http',
    port: 3001,
    package: { registryType: 'npm', identifier: 'x', version: '1.0.0', packageArguments: [] },
    env: { B: '2', A: '1' },
    secrets: [
      { name: 'Z', ref: 'env:Z' },
      { name: 'A', ref: 'env:A' },
    ],
    health: { expectTools: ['b', 'a'] },
    dependsOn: ['y', 'x'],
  };
  const b: ServerSpec = {
    dependsOn: ['x', 'y'],
    health: { expectTools: ['a', 'b'], timeoutMs: 10000 },
    secrets: [
      { ref: 'env:A', name: 'A' },
      { ref: 'env:Z', name: 'Z' },
    ],
    env: { A: '1', B: '2' },
    path: '/mcp',
    package: { version: '1.0.0', identifier: 'x', registryType: 'npm' },
    port: 3001,
    transport: 'streamable-http',
  };

  test('the hash is stable under key order, set order, defaults and empty collections', () => {
    assert.deepEqual(normalizeServerSpec(a), normalizeServerSpec(b));
    assert.equal(specHash(a), specHash(b));
    assert.match(specHash(a), /^[0-9a-f]{64}$/);
    assert.deepEqual(normalizeServerSpec(normalizeServerSpec(a)), normalizeServerSpec(a), 'idempotent');
  });

  test('a real difference changes the hash (argument order matters)', () => {
    assert.notEqual(specHash(a), specHash({ ...a, env: { A: '1', B: '3' } }));
    const args = (packageArguments: string[]): ServerSpec => ({
      ...a,
      package: { ...a.package!, packageArguments },
    });
    assert.notEqual(specHash(args(['1', '2'])), specHash(args(['2', '1'])));
  });
});
