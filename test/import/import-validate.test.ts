/** Imported servers drop into a config repo and pass the real `mcp-gitops validate`. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const bin = path.join(root, 'bin', 'mcp-gitops.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-import-validate-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, MCP_GITOPS_HOME: tmp },
    timeout: 120_000,
  });
}

const ENVIRONMENT = `apiVersion: mcp-gitops/v1
kind: Environment
metadata:
  name: imported
spec:
  vars:
    workspace: ~/src/app
  targets:
    - name: laptop
      provider: client-config
      clients: [claude-code, vscode]
      projectDir: ~/src/app
    - name: services
      provider: process
  servers:
    - name: github-tools
      targets: [laptop]
    - name: weather
      targets: [laptop]
    - name: everything-imported
      targets: [services, laptop]
`;

test('imports of a package server, an HTTP package and a remote validate in a config repo', () => {
  const repo = path.join(tmp, 'repo');
  fs.cpSync(path.join(root, 'examples', 'quickstart'), repo, { recursive: true });
  fs.writeFileSync(path.join(repo, 'environments', 'imported.yaml'), ENVIRONMENT);
  const imports = [
    ['github.server.json', 'servers/github-tools.yaml', '--expect-tools', 'search_issues'],
    ['remote.server.json', 'servers/weather.yaml', '--expect-tools', 'forecast'],
    [
      'everything.server.json',
      'servers/everything-imported.yaml',
      '--name',
      'everything-imported',
      '--port',
      '38102',
      '--expect-tools',
      'echo',
    ],
  ];
  for (const [fixture, out, ...flags] of imports) {
    const r = cli(repo, 'import', path.join(here, 'fixtures', fixture), '--out', out, ...flags);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^wrote ${out}`));
  }
  const modeline = fs.readFileSync(path.join(repo, 'servers', 'weather.yaml'), 'utf8').split('\n')[0];
  const schema = path.relative(path.join(repo, 'servers'), path.join(root, 'schemas', 'server.schema.json'));
  assert.equal(
    modeline,
    `# yaml-language-server: $schema=${schema}`,
    'no schema copy in this repo: the product schema',
  );
  const v = cli(repo, 'validate', '--repo', repo);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.doesNotMatch(v.stdout, /error/);
});
