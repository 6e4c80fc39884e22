/**
 * bundleTarget: a fleet target resolved by the real resolver becomes what a machine applies —
 * machine settings (host local; selector, rollout and home gone), servers with the URL where the
 * environment serves them, and a digest that changes exactly when the desired state does.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { canonicalJson } from '../../../src/core/canonical-json.js';
import type { DesiredEnvironment } from '../../../src/core/state.js';
import { bundleDigest, bundleTarget } from '../../../src/fleet/bundle/bundle-target.js';
import { resolveDesiredState, specHash } from '../../../src/resolve/index.js';
import { configFromYaml } from '../../resolve/config-from-yaml.js';

const servers = `
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: memory }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "2026.8.31" }
  transport: stdio
  secrets: [{ name: API_TOKEN, ref: "env:FLEET_CANARY_TOKEN" }]
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: everything }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-everything", version: "2026.8.31" }
  transport: streamable-http
  port: 3001
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: local-http }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-everything", version: "2026.8.31" }
  transport: streamable-http
  port: 3002
  path: /api/mcp
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: orphan-http }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-everything", version: "2026.8.31" }
  transport: sse
  port: 3003
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: hosted }
spec:
  remote: { url: "https://mcp.example.com/mcp" }
  transport: streamable-http
`;

const environment = (memoryVersion = '2026.8.31') => `
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets:
    - name: laptops
      provider: client-config
      host: fleet
      selector: { team: platform }
      clients: [claude-code, cursor]
      projectDir: ~/src/app
      rollout: { waves: [5%, 100%] }
    - { name: vm-1, provider: process, host: "ssh://deploy@vm-1.internal:22" }
    - { name: hub, provider: process, host: local }
  servers:
    - name: memory
      targets: [laptops]
      overrides: { package: { version: "${memoryVersion}" } }
    - { name: everything, targets: [laptops, vm-1] }
    - { name: local-http, targets: [laptops, hub] }
    - { name: orphan-http, targets: [laptops] }
    - { name: hosted, targets: [laptops] }
`;

function resolveDev(memoryVersion?: string): DesiredEnvironment {
  const config = configFromYaml({
    'servers/all.yaml': servers,
    'environments/dev.yaml': environment(memoryVersion),
  });
  return resolveDesiredState(config).environments[0]!;
}

describe('bundleTarget', () => {
  const env = resolveDev();
  const laptops = env.fleet[0]!;

  test('settings are the machine’s: host local, no selector, rollout or home', () => {
    const withHome = { ...laptops, settings: { ...laptops.settings, home: '/home/hub' } };
    const result = bundleTarget(env, withHome, {});
    assert.equal(result.name, 'laptops');
    assert.deepEqual(result.settings, {
      name: 'laptops',
      provider: 'client-config',
      host: 'local',
      clients: ['claude-code', 'cursor'],
      projectDir: '~/src/app',
    });
    assert.equal(laptops.settings.host, 'fleet', 'the desired target is not changed');
  });

  test('stdio and remote servers pass through; secrets stay references', () => {
    const result = bundleTarget(env, laptops, {});
    const memory = result.servers.find((s) => s.name === 'memory')!;
    assert.deepEqual(
      memory,
      laptops.servers.find((s) => s.name === 'memory'),
    );
    assert.deepEqual(memory.spec.secrets, [{ name: 'API_TOKEN', ref: 'env:FLEET_CANARY_TOKEN' }]);
    const hosted = result.servers.find((s) => s.name === 'hosted')!;
    assert.equal(hosted.spec.remote?.url, 'https://mcp.example.com/mcp');
  });

  test('an http server run by an ssh process target gets that host’s address, and a spec hash to match', () => {
    const everything = bundleTarget(env, laptops, {}).servers.find((s) => s.name === 'everything')!;
    assert.equal(everything.spec.remote?.url, 'http://vm-1.internal:3001/mcp');
    assert.equal(everything.specHash, specHash(everything.spec));
    assert.notEqual(everything.specHash, laptops.servers.find((s) => s.name === 'everything')!.specHash);
  });

  test('a server on the hub’s own machine needs publicHost; without one it is skipped, saying why', () => {
    const without = bundleTarget(env, laptops, {});
    assert.equal(
      without.servers.some((s) => s.name === 'local-http'),
      false,
    );
    const skipped = without.skipped.find((s) => s.server === 'local-http');
    assert.match(skipped!.reason, /target "hub" on the hub's own machine.*127\.0\.0\.1/);

    const named = bundleTarget(env, laptops, { publicHost: 'hub.corp.example' });
    const local = named.servers.find((s) => s.name === 'local-http')!;
    assert.equal(local.spec.remote?.url, 'http://hub.corp.example:3002/api/mcp');
    assert.equal(
      named.skipped.some((s) => s.server === 'local-http'),
      false,
    );

    const v6 = bundleTarget(env, laptops, { publicHost: 'fd00::1' });
    assert.equal(
      v6.servers.find((s) => s.name === 'local-http')!.spec.remote?.url,
      'http://[fd00::1]:3002/api/mcp',
    );
  });

  test('an http server nothing serves is skipped with the provider’s reason', () => {
    const result = bundleTarget(env, laptops, { publicHost: 'hub' });
    assert.deepEqual(result.skipped, [
      {
        server: 'orphan-http',
        reason:
          'sse server "orphan-http" has no URL: give it a remote.url, or run it on a process or container target of environment "dev" with a port',
      },
    ]);
    assert.deepEqual(
      result.servers.map((s) => s.name),
      laptops.servers.map((s) => s.name).filter((name) => name !== 'orphan-http'),
      'the resolved order is kept',
    );
    assert.equal(result.servers.length, 4);
  });

  test('digest is sha256 of canonicalJson({settings, servers}), stable, and moves with the desired state', () => {
    const a = bundleTarget(env, laptops, { publicHost: 'hub' });
    const expected = createHash('sha256')
      .update(canonicalJson({ settings: a.settings, servers: a.servers }))
      .digest('hex');
    assert.equal(a.digest, expected);
    assert.equal(a.digest, bundleDigest(a.settings, a.servers));
    assert.match(a.digest, /^[0-9a-f]{64}$/);

    const again = resolveDev();
    assert.equal(bundleTarget(again, again.fleet[0]!, { publicHost: 'hub' }).digest, a.digest);

    const bumped = resolveDev('2026.9.1');
    assert.notEqual(bundleTarget(bumped, bumped.fleet[0]!, { publicHost: 'hub' }).digest, a.digest);

    // The rollout and selector are the hub's: changing them does not make a new release.
    const rolled = { ...laptops, settings: { ...laptops.settings, rollout: { waves: ['100%'] } } };
    assert.equal(bundleTarget(env, rolled, { publicHost: 'hub' }).digest, a.digest);
    // Where a server is reachable is part of the desired state.
    assert.notEqual(bundleTarget(env, laptops, { publicHost: 'hub2' }).digest, a.digest);
  });

  test('a secret value in the reconciler’s environment never reaches the bundle', () => {
    process.env.FLEET_CANARY_TOKEN = 'canary-7f3a9e1d5b';
    try {
      const text = JSON.stringify(bundleTarget(resolveDev(), resolveDev().fleet[0]!, { publicHost: 'hub' }));
      assert.equal(text.includes('canary-7f3a9e1d5b'), false);
      assert.ok(text.includes('env:FLEET_CANARY_TOKEN'));
    } finally {
      delete process.env.FLEET_CANARY_TOKEN;
    }
  });
});
