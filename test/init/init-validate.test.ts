/** `mcp-gitops init` produces a repo the real `mcp-gitops validate` accepts, for every preset. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { listPresets } from '../../src/init/list-presets.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bin = path.join(root, 'bin', 'mcp-gitops.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-init-validate-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = {
  ...process.env,
  MCP_GITOPS_HOME: tmp,
  GIT_AUTHOR_NAME: 'Init',
  GIT_AUTHOR_EMAIL: 'init@example.com',
};

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

test('init then validate exits 0, in the work tree and at the first commit', () => {
  const repo = path.join(tmp, 'default');
  const init = cli(tmp, 'init', repo);
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, /first commit [0-9a-f]{7}/);
  assert.match(init.stdout, /^ {2}(mcp-gitops|node \S+\/bin\/mcp-gitops\.js) validate +# check every file$/m);
  for (const args of [['validate'], ['validate', '--staged'], ['validate', '--rev', 'main']]) {
    const r = cli(repo, ...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  }
});

test('every preset, and all presets together, scaffold a valid repo', () => {
  for (const presets of [...listPresets().map((p) => [p]), listPresets()]) {
    const repo = path.join(tmp, presets.join('+'));
    const init = cli(tmp, 'init', repo, '--preset', presets.join(','));
    assert.equal(init.status, 0, init.stderr);
    const r = cli(repo, 'validate');
    assert.equal(r.status, 0, `${presets.join(',')}: ${r.stdout}${r.stderr}`);
  }
});

test('init --preset container-host: a container target and its oci server, and it validates', () => {
  const repo = path.join(tmp, 'only-container-host');
  const init = cli(tmp, 'init', repo, '--preset', 'container-host');
  assert.equal(init.status, 0, init.stderr);
  const env = fs.readFileSync(path.join(repo, 'environments/containers.yaml'), 'utf8');
  assert.match(env, /provider: container/);
  assert.match(
    fs.readFileSync(path.join(repo, 'servers/everything-container.yaml'), 'utf8'),
    /registryType: oci/,
  );
  const r = cli(repo, 'validate');
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('init --preset kubernetes: a kubernetes target in mcp-servers, an oci server with a k8s: secret, and it validates', () => {
  const repo = path.join(tmp, 'only-kubernetes');
  const init = cli(tmp, 'init', repo, '--preset', 'kubernetes');
  assert.equal(init.status, 0, init.stderr);
  const environment = parse(fs.readFileSync(path.join(repo, 'environments/cluster.yaml'), 'utf8'));
  assert.deepEqual(
    environment.spec.targets.map((t: { provider: string; namespace: string }) => [t.provider, t.namespace]),
    [['kubernetes', 'mcp-servers']],
  );
  assert.deepEqual(environment.spec.servers, [{ name: 'everything-kubernetes', targets: ['k8s'] }]);
  const server = parse(fs.readFileSync(path.join(repo, 'servers/everything-kubernetes.yaml'), 'utf8'));
  assert.equal(server.spec.package.registryType, 'oci');
  assert.equal(server.spec.transport, 'streamable-http');
  assert.deepEqual(server.spec.secrets, [{ name: 'API_TOKEN', ref: 'k8s:mcp-everything/token' }]);
  // Where to go next for running mcp-gitops itself in the cluster.
  assert.match(fs.readFileSync(path.join(repo, 'environments/cluster.yaml'), 'utf8'), /deploy\/kubernetes/);
  const r = cli(repo, 'validate');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /warning/);
});

test('init into a non-empty directory writes nothing and exits 1', () => {
  const repo = path.join(tmp, 'taken');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'mcp-gitops.yaml'), 'mine\n');
  const r = cli(tmp, 'init', repo);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /exists: mcp-gitops\.yaml/);
  assert.match(r.stderr, /hint: nothing was written/);
  assert.deepEqual(fs.readdirSync(repo), ['mcp-gitops.yaml']);
});
