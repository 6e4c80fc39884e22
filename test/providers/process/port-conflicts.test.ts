/**
 * `validate` refuses two servers on one port of one host (src/validate/check-ports.ts): across
 * environments on the same host, with a wildcard listen address, for container targets too; and
 * lets the same port be used on different hosts or different specific addresses. The corpus case
 * test/fixtures/invalid/port-conflict checks the CLI's exact output.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildConfigSet } from '../../../src/config/load-config.js';
import { validateConfig } from '../../../src/validate/validate-config.js';

const HEAD = 'apiVersion: mcp-gitops/v1';

function server(name: string, port: number): string {
  return `${HEAD}\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  command:\n    path: /usr/bin/node\n  transport: streamable-http\n  port: ${port}\n`;
}

function environment(name: string, targets: string[], servers: string[]): string {
  return `${HEAD}\nkind: Environment\nmetadata:\n  name: ${name}\nspec:\n  targets:\n${targets.join('')}  servers:\n${servers.join('')}`;
}

const target = (name: string, extra = '', provider = 'process') =>
  `    - name: ${name}\n      provider: ${provider}\n      host: local\n${extra}`;

function portDiagnostics(files: Record<string, string>): string[] {
  const { config, diagnostics } = buildConfigSet('/repo', 'worktree', undefined, {
    files: [
      {
        path: 'mcp-gitops.yaml',
        text: `${HEAD}\nkind: Repository\nmetadata:\n  name: r\nspec:\n  branch: main\n`,
      },
      ...Object.entries(files).map(([path, text]) => ({ path, text })),
    ],
    diagnostics: [],
  });
  assert.deepEqual(diagnostics, []);
  return validateConfig(config)
    .filter((d) => d.rule === 'port-conflict')
    .map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`);
}

describe('validate: two servers on one port of one host', () => {
  test('two servers of one environment: an error at the second entry, naming the first', () => {
    const found = portDiagnostics({
      'servers/a.yaml': server('a', 38201),
      'servers/b.yaml': server('b', 38201),
      'environments/dev.yaml': environment('dev', [target('procs')], ['    - name: a\n', '    - name: b\n']),
    });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(
      found[0]!,
      /^environments\/dev\.yaml:12:13: server "b" on target "procs" uses port 38201 \(servers\/b\.yaml:9\) on host local, which server "a" already uses \(environments\/dev\.yaml:11:13, environment dev, target procs\)/,
    );
  });

  test('the same server in two environments on the local host, at the override that sets the port', () => {
    const found = portDiagnostics({
      'servers/a.yaml': server('a', 38201),
      'environments/dev.yaml': environment('dev', [target('procs')], ['    - name: a\n']),
      'environments/prod.yaml': environment(
        'prod',
        [target('procs', '      listenHost: 0.0.0.0\n')],
        ['    - name: a\n      overrides:\n        port: 38201\n'],
      ),
    });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(
      found[0]!,
      /^environments\/prod\.yaml:14:15: server "a" .* port 38201 \(environments\/prod\.yaml:14\)/,
    );
  });

  test('a container publishing the port on the same host conflicts too', () => {
    const found = portDiagnostics({
      'servers/a.yaml': server('a', 38201),
      'servers/b.yaml': server('b', 38201),
      'environments/dev.yaml': environment(
        'dev',
        [target('procs'), target('box', '', 'container')],
        ['    - name: a\n      targets: [procs]\n', '    - name: b\n      targets: [box]\n'],
      ),
    });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /server "b" on target "box" uses port 38201/);
  });

  test('different hosts, different specific addresses, different ports and stdio servers are fine', () => {
    const sshTarget = `    - name: vm\n      provider: process\n      host: ssh://deploy@vm-1.internal:22\n`;
    const found = portDiagnostics({
      'servers/a.yaml': server('a', 38201),
      'servers/b.yaml': server('b', 38201),
      'servers/c.yaml': server('c', 38202),
      'servers/s.yaml': `${HEAD}\nkind: Server\nmetadata:\n  name: s\nspec:\n  command:\n    path: /bin/true\n  transport: stdio\n`,
      'environments/dev.yaml': environment(
        'dev',
        [target('procs'), target('other', '      listenHost: 127.0.0.2\n'), sshTarget],
        [
          '    - name: a\n      targets: [procs]\n',
          '    - name: b\n      targets: [other, vm]\n',
          '    - name: c\n      targets: [procs]\n',
          '    - name: s\n',
        ],
      ),
    });
    assert.deepEqual(found, []);
  });
});
