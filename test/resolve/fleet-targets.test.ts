/**
 * Fleet targets (`host: fleet`) resolve like any other target (settings rendered, servers placed
 * as `targets:` lists say, ordered by dependsOn) but land in `DesiredEnvironment.fleet`, never in
 * `targets`, so the reconciler's own engine never observes or applies them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveDesiredState } from '../../src/resolve/index.js';
import { configFromYaml } from './config-from-yaml.js';

const servers = `
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: memory }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "2026.8.31" }
  transport: stdio
  env: { WHERE: "{{target.name}}@{{target.host}}" }
  dependsOn: [everything]
---
apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: everything }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-everything", version: "2026.8.31" }
  transport: stdio
`;

const environment = `
apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  vars: { team: platform }
  targets:
    - { name: laptop, provider: client-config, clients: [cursor] }
    - name: laptops
      provider: client-config
      host: fleet
      selector: { team: platform, os: darwin }
      clients: [claude-code, cursor]
      projectDir: "~/src/{{vars.team}}"
      rollout: { waves: [5%, 25%, 100%], pauseOnFailure: true, minHealthy: 95% }
  servers:
    - { name: memory, targets: [laptop, laptops] }
    - { name: everything, targets: [laptops] }
`;

const load = () => configFromYaml({ 'servers/all.yaml': servers, 'environments/dev.yaml': environment });

describe('fleet targets in the desired state', () => {
  test('a host: fleet target goes to fleet, not targets, with its servers ordered by dependsOn', () => {
    const [dev] = resolveDesiredState(load()).environments;
    assert.deepEqual(
      dev!.targets.map((t) => t.name),
      ['laptop'],
    );
    assert.equal(dev!.fleet.length, 1);
    const laptops = dev!.fleet[0]!;
    assert.equal(laptops.host, 'fleet');
    assert.equal(laptops.provider, 'client-config');
    assert.deepEqual(
      laptops.servers.map((s) => s.name),
      ['everything', 'memory'],
    );
    assert.equal(laptops.servers[1]!.spec.env?.WHERE, 'laptops@fleet');
    assert.equal(laptops.settings.projectDir, '~/src/platform', 'settings are rendered');
    assert.deepEqual(laptops.settings.selector, { team: 'platform', os: 'darwin' });
    assert.deepEqual(
      dev!.targets[0]!.servers.map((s) => s.name),
      ['memory'],
    );
  });

  test('an environment without fleet targets has fleet: []', () => {
    const plain = environment.replace(/ {4}- name: laptops[\s\S]*?minHealthy: 95% \}\n/, '');
    const config = configFromYaml({
      'servers/all.yaml': servers,
      'environments/dev.yaml': plain
        .replace('[laptop, laptops]', '[laptop]')
        .replace('[laptops]', '[laptop]'),
    });
    const [dev] = resolveDesiredState(config).environments;
    assert.deepEqual(dev!.fleet, []);
    assert.equal(dev!.targets.length, 1);
  });

  test('--target picks a fleet target by name like any other', () => {
    const [dev] = resolveDesiredState(load(), { target: 'laptops' }).environments;
    assert.deepEqual(dev!.targets, []);
    assert.deepEqual(
      dev!.fleet.map((t) => t.name),
      ['laptops'],
    );
  });
});
