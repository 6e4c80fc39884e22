/**
 * A `container` target on an `ssh://` host, end to end through the real CLI: a real sshd on
 * 127.0.0.1 (test/helpers/sshd.ts) is the "remote" machine, and a real `podman system service`
 * socket in a temp dir is its engine. The target names that socket as a path *on the host*; the
 * provider reaches it only through a unix socket forwarded over the host's ssh control master,
 * and verifies the server (published on the host's 127.0.0.1) through a forwarded local port.
 *
 * Host and "remote" share this machine's filesystem, so the proof that nothing takes a shortcut
 * is behavioural: with sshd stopped, the very same engine socket still answers here, yet the
 * target is Stalled as unreachable — a provider that opened the socket directly would carry on.
 * Covered: create + MCP verification through the forward (the report shows the stable address on
 * the host, not the random local port), a rerun with no changes, drift corrected, a missing
 * remote socket, delete with prune, sshd down, and a canary secret in no output, report or label.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { request } from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliRunner } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/mcp-servers.js';
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
import { type Sshd, startSshd } from '../../helpers/sshd.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';

requireTools('podman', 'sshd', 'ssh');

const ENV = 'cssh';
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const NAME = `mcp-gitops_${ENV}_vm_everything`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-container-ssh-'));
const cli = cliRunner({
  MCP_GITOPS_HOME: path.join(base, 'home'),
  MCP_GITOPS_LOG_LEVEL: 'debug',
  MCP_CS_CANARY: CANARY,
  // Must not be used for a remote host: pointing it at the real socket would hide a shortcut.
  DOCKER_HOST: 'unix:///nonexistent/docker.sock',
});

function serverYaml(port: number, args?: string[]): string {
  const image = everythingImage();
  const argLines = args ? `    packageArguments: ${JSON.stringify(args)}\n` : '';
  return (
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: everything\nspec:\n  package:\n` +
    `    registryType: oci\n    identifier: ${image.identifier}\n    version: "${image.version}"\n${argLines}` +
    `  transport: streamable-http\n  port: ${port}\n  path: /mcp\n  env:\n    PORT: "{{server.port}}"\n` +
    `  secrets:\n    - name: CANARY_TOKEN\n      ref: env:MCP_CS_CANARY\n` +
    `  health:\n    expectTools: [echo, get-sum]\n    timeoutMs: 20000\n`
  );
}

function environmentYaml(sshd: Sshd, socket: string, servers: string[], prune: boolean): string {
  return (
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: ${ENV}\nspec:\n` +
    `  sync:\n    drift: correct\n    prune: ${prune}\n    maxDeletions: 3\n` +
    `  targets:\n    - name: vm\n      provider: container\n      host: ${sshd.url}\n` +
    `      identityFile: { ref: "file:${sshd.identityFile}" }\n      knownHosts: ${sshd.knownHosts}\n` +
    `      socket: unix://${socket}\n      bindAddress: 127.0.0.1\n` +
    `  servers:${servers.length ? `\n${servers.map((s) => `    - name: ${s}\n`).join('')}` : ' []\n'}`
  );
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}

function pingEngine(socket: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 3000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

describe('a container target on an ssh host (real sshd, podman and CLI)', { timeout: 240_000 }, () => {
  let service: PodmanService;
  let sshd: Sshd;
  let repo: TempRepo;
  let port = 0;
  const reconcile = () => cli.run(['reconcile', '--repo', repo.dir]);
  const report = () => JSON.parse(fs.readFileSync(path.join(repo.dir, `reports/${ENV}/vm.json`), 'utf8'));
  const idOf = () => podman(['inspect', '--format', '{{.Id}}', NAME]);
  const writeEnv = (socket: string, servers: string[], prune: boolean, message: string) => {
    repo.write(`environments/${ENV}.yaml`, environmentYaml(sshd, socket, servers, prune));
    repo.commitAll(message);
  };

  before(async () => {
    await ensureEverythingImage();
    service = await startPodmanService();
    sshd = await startSshd();
    port = await uncommonPort();
    repo = createTempRepo('mcp-gitops-container-ssh-repo-');
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: ssh-containers\nspec:\n  branch: main\n',
    );
    repo.write('servers/everything.yaml', serverYaml(port));
    writeEnv(service.socket, ['everything'], false, 'one server on an ssh container host');
  });

  after(async () => {
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
    await sshd?.stop();
    await service?.stop();
    repo?.cleanup();
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('first reconcile: the container runs and answers MCP through the forwarded port', async () => {
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /cssh\/vm: create everything: applied \(healthy, 13 tools\)/);
    const r = report();
    assert.deepEqual(
      r.inventory.map((e: { server: string; health: string; toolCount: number; endpoint: string }) => [
        e.server,
        e.health,
        e.toolCount,
        e.endpoint,
      ]),
      [['everything', 'healthy', 13, `http://127.0.0.1:${port}/mcp on ${sshd.url} (through ssh)`]],
    );
    assert.equal(r.facts.socket, service.socket, 'the socket is the path on the host');
    assert.match(r.facts.engine, /^podman /);
    assert.equal(await podman(['inspect', '--format', '{{.State.Running}}', NAME]), 'true');
  });

  test('second reconcile: nothing planned, no commit', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    const plan = await cli.run(['plan', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /^No changes\./);
    const res = await reconcile();
    assert.equal(res.code, 0, res.stderr);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
  });

  test('a container removed by hand on the host is drift; reconcile brings it back', async () => {
    const old = await idOf();
    await podman(['rm', '-f', '-t', '0', NAME]);
    const drift = await cli.run(['drift', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(drift.code, 2, drift.stdout + drift.stderr);
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /applied \(healthy, 13 tools\)/);
    assert.notEqual(await idOf(), old);
  });

  test('an update whose container exits is rolled back with its reason, read through ssh', async () => {
    repo.write('servers/everything.yaml', serverYaml(port, ['no-such-transport']));
    repo.commitAll('a transport the server does not know');
    const res = await reconcile();
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(
      res.stdout,
      /cssh\/vm: update everything: ROLLED BACK — verification failed: .*Unknown transport: no-such-transport.*rolled back to the previous spec/,
    );
    assert.equal(await podman(['inspect', '--format', '{{.State.Running}}', NAME]), 'true');
    repo.write('servers/everything.yaml', serverYaml(port));
    repo.commitAll('back to streamable HTTP');
  });

  test('the canary secret is in no CLI output, report, commit or container label', async () => {
    for (const text of cli.transcript) assert.ok(!text.includes(CANARY), 'canary in CLI output');
    assert.ok(!repo.git('log', '-p', '--all').includes(CANARY), 'canary in git history');
    const labels = JSON.stringify(await containerLabels(NAME));
    assert.ok(!labels.includes(CANARY), 'canary in labels');
    assert.match(labels, /env:MCP_CS_CANARY/);
    const env = await podman(['inspect', '--format', '{{json .Config.Env}}', NAME]);
    assert.ok(env.includes(`CANARY_TOKEN=${CANARY}`), 'the container itself has its secret');
  });

  test('a socket missing on the host: unreachable with a clear reason, nothing changed', async () => {
    const missing = path.join(sshd.dir, 'no-engine.sock');
    writeEnv(missing, ['everything'], false, 'point at a socket that does not exist');
    const drift = await cli.run(['drift', '--repo', repo.dir]);
    const out = drift.stdout + drift.stderr;
    assert.match(out, new RegExp(`container engine socket ${missing} on ssh://\\S+ does not exist`));
    assert.equal(await podman(['inspect', '--format', '{{.State.Running}}', NAME]), 'true');
    writeEnv(service.socket, ['everything'], false, 'back to the engine socket');
  });

  test('a server removed from the repo is deleted with prune: true', async () => {
    writeEnv(service.socket, [], true, 'prune everything');
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /cssh\/vm: delete everything: applied/);
    assert.equal(await podman(['ps', '-aq', '--filter', `name=^${NAME}$`]), '');
  });

  test('sshd stopped: Stalled as unreachable, though the engine socket still answers here', async () => {
    writeEnv(service.socket, ['everything'], true, 'everything again, host down');
    process.kill(sshd.pid, 'SIGTERM'); // sshd only: its keys and known_hosts stay for the run
    await waitFor(async () => !(await accepts(sshd.address, sshd.port)), {
      timeoutMs: 10_000,
      what: 'sshd to stop',
    });
    assert.equal(await pingEngine(service.socket), true, 'the engine itself is up');
    const res = await reconcile();
    assert.equal(res.code, 1, res.stdout + res.stderr);
    const stalled = report().conditions.find((c: { type: string }) => c.type === 'Stalled');
    assert.equal(stalled.reason, 'TargetUnreachable');
    assert.match(stalled.message, /ssh:\/\/root@127\.0\.0\.1:\d+ is unreachable/);
    assert.equal(await podman(['ps', '-aq', '--filter', `name=^${NAME}$`]), '', 'nothing was created');
  });
});
