/**
 * The whole loop through the real CLI on a real git config repo with a `container` target on a
 * real Docker Engine API (podman's service): reconcile runs and verifies the containers and
 * commits the report; a rerun changes nothing; a container removed by hand is drift that
 * reconcile corrects; an update that fails verification is rolled back to the previous container;
 * a server removed from the repo is deleted only with `sync.prune: true`; a container made by
 * hand is never touched; a canary secret appears in no output, report or label.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { cliRunner } from '../../helpers/cli.js';
import {
  containerLabels,
  ensureEverythingImage,
  everythingImage,
  type PodmanService,
  podman,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';

requireTools('podman');

const ENV = 'cdev';
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const HANDMADE = `handmade-${randomBytes(4).toString('hex')}`;
const nameOf = (server: string) => `mcp-gitops_${ENV}_box_${server}`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-container-e2e-'));
const cli = cliRunner({
  MCP_GITOPS_HOME: path.join(base, 'home'),
  MCP_GITOPS_LOG_LEVEL: 'debug',
  MCP_CT_CANARY: CANARY,
});

async function listTools(port: number): Promise<string[]> {
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

function serverYaml(name: string, port: number, args?: string[]): string {
  const image = everythingImage();
  const argLines = args ? `    packageArguments: ${JSON.stringify(args)}\n` : '';
  return (
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  package:\n` +
    `    registryType: oci\n    identifier: ${image.identifier}\n    version: "${image.version}"\n${argLines}` +
    `  transport: streamable-http\n  port: ${port}\n  path: /mcp\n  env:\n    PORT: "{{server.port}}"\n` +
    `  secrets:\n    - name: CANARY_TOKEN\n      ref: env:MCP_CT_CANARY\n` +
    `  health:\n    expectTools: [echo, get-sum]\n    timeoutMs: ${args ? 6000 : 20000}\n`
  );
}

function environmentYaml(socket: string, servers: string[], prune: boolean): string {
  return (
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: ${ENV}\nspec:\n` +
    `  sync:\n    drift: correct\n    prune: ${prune}\n    maxDeletions: 3\n` +
    `  targets:\n    - name: box\n      provider: container\n      host: local\n` +
    `      socket: unix://${socket}\n      bindAddress: 127.0.0.1\n` +
    `  servers:\n${servers.map((s) => `    - name: ${s}\n`).join('')}`
  );
}

describe('reconcile a container target end to end (real CLI, git and podman)', { timeout: 300_000 }, () => {
  let service: PodmanService;
  let repo: TempRepo;
  let port1 = 0;
  let port2 = 0;
  const head = () => repo.git('rev-parse', 'HEAD');
  const idOf = (server: string) => podman(['inspect', '--format', '{{.Id}}', nameOf(server)]);
  const reconcile = () => cli.run(['reconcile', '--repo', repo.dir]);

  before(async () => {
    await ensureEverythingImage();
    service = await startPodmanService();
    port1 = await uncommonPort();
    do port2 = await uncommonPort();
    while (port2 === port1);
    await podman(['create', '--name', HANDMADE, everythingImage().ref]);
    repo = createTempRepo('mcp-gitops-container-repo-');
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: containers\nspec:\n  branch: main\n',
    );
    repo.write('servers/everything.yaml', serverYaml('everything', port1));
    repo.write('servers/second.yaml', serverYaml('second', port2));
    repo.write('environments/cdev.yaml', environmentYaml(service.socket, ['everything', 'second'], false));
    repo.commitAll('two servers on a container host');
  });

  after(async () => {
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
    await podman(['rm', '-f', '-t', '0', HANDMADE]).catch(() => undefined);
    await service?.stop();
    repo?.cleanup();
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('first reconcile: containers run and answer MCP, the report is committed, tag cdev/v1.0.0', async () => {
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /cdev\/box: create everything: applied \(healthy, 13 tools\)/);
    assert.match(res.stdout, /Tagged cdev\/v1\.0\.0/);
    assert.equal(repo.git('status', '--porcelain'), '');
    const report = JSON.parse(fs.readFileSync(path.join(repo.dir, 'reports/cdev/box.json'), 'utf8'));
    assert.deepEqual(
      report.inventory.map((e: { server: string; health: string; toolCount: number; endpoint: string }) => [
        e.server,
        e.health,
        e.toolCount,
        e.endpoint,
      ]),
      [
        ['everything', 'healthy', 13, `http://127.0.0.1:${port1}/mcp`],
        ['second', 'healthy', 13, `http://127.0.0.1:${port2}/mcp`],
      ],
    );
    assert.match(report.facts.engine, /^podman /);
    const tools = await listTools(port1);
    assert.equal(tools.length, 13);
    assert.ok(tools.includes('echo') && tools.includes('get-sum'));
  });

  test('second reconcile: nothing planned, no commit, no tag', async () => {
    const before = head();
    const plan = await cli.run(['plan', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /^No changes\./);
    const res = await reconcile();
    assert.equal(res.code, 0, res.stderr);
    assert.equal(head(), before);
    assert.equal(repo.git('tag', '-l'), 'cdev/v1.0.0');
  });

  test('a container removed by hand is drift; reconcile brings it back', async () => {
    const old = await idOf('everything');
    await podman(['rm', '-f', '-t', '0', nameOf('everything')]);
    const drift = await cli.run(['drift', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(drift.code, 2, drift.stdout + drift.stderr);
    assert.match(drift.stdout, /everything/);
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.notEqual(await idOf('everything'), old);
    assert.equal((await listTools(port1)).length, 13);
  });

  test('an update that fails verification is rolled back: the previous spec serves again, exit 1', async () => {
    const goodHash = (await containerLabels(nameOf('second')))['io.mcp-gitops.spec-hash'];
    repo.write('servers/second.yaml', serverYaml('second', port2, ['no-such-transport']));
    repo.commitAll('second: a transport the server does not know');
    const res = await reconcile();
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(
      res.stdout,
      /cdev\/box: update second: ROLLED BACK — verification failed: .*Unknown transport: no-such-transport.*rolled back to the previous spec/,
    );
    const report = JSON.parse(fs.readFileSync(path.join(repo.dir, 'reports/cdev/box.json'), 'utf8'));
    assert.equal(
      report.lastApply.find((r: { server: string }) => r.server === 'second').outcome,
      'rolled-back',
    );
    assert.equal((await containerLabels(nameOf('second')))['io.mcp-gitops.spec-hash'], goodHash);
    assert.equal((await listTools(port2)).length, 13);
    repo.write('servers/second.yaml', serverYaml('second', port2));
    repo.commitAll('second: back to streamable HTTP');
    const again = await reconcile();
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  test('a server removed from the repo is kept without prune and deleted with prune: true', async () => {
    repo.write('environments/cdev.yaml', environmentYaml(service.socket, ['everything'], false));
    repo.commitAll('drop second');
    const kept = await reconcile();
    assert.equal(kept.code, 0, kept.stdout + kept.stderr);
    assert.equal(await podman(['inspect', '--format', '{{.State.Running}}', nameOf('second')]), 'true');
    repo.write('environments/cdev.yaml', environmentYaml(service.socket, ['everything'], true));
    repo.commitAll('prune');
    const pruned = await reconcile();
    assert.equal(pruned.code, 0, pruned.stdout + pruned.stderr);
    assert.match(pruned.stdout, /cdev\/box: delete second: applied/);
    assert.equal(await podman(['ps', '-aq', '--filter', `name=^${nameOf('second')}$`]), '');
    assert.equal(
      await podman(['inspect', '--format', '{{.Name}}', HANDMADE]),
      HANDMADE,
      'hand-made container kept',
    );
  });

  test('the canary secret is in no CLI output, report, commit or container label', async () => {
    const plan = await cli.run(['plan', '--repo', repo.dir, '--format', 'json']);
    assert.equal(plan.code, 0, plan.stderr);
    for (const text of cli.transcript) assert.ok(!text.includes(CANARY), 'canary in CLI output');
    const reports = repo.git('log', '-p', '--all');
    assert.ok(!reports.includes(CANARY), 'canary in git history');
    const labels = JSON.stringify(await containerLabels(nameOf('everything')));
    assert.ok(!labels.includes(CANARY), 'canary in labels');
    assert.match(labels, /env:MCP_CT_CANARY/);
    const env = await podman(['inspect', '--format', '{{json .Config.Env}}', nameOf('everything')]);
    assert.ok(env.includes(`CANARY_TOKEN=${CANARY}`), 'the container itself has its secret');
  });
});
