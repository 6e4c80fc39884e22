/**
 * End to end over SSH (issue 5): a "VM" — a real sshd in its own network namespace with its own
 * address — gets server-everything through the real CLI's `reconcile`, supervised there and
 * verified over HTTP from outside. The same environment targets a host that is down and a host
 * whose key does not match knownHosts: both Stalled with a reason, nothing run on the second, the
 * VM still converged, exit 1. Arguments and env values full of shell metacharacters reach the
 * server literally, and marker files prove no shell ran them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { isProcessAlive, stopProcess } from '../helpers/mcp-servers.js';
import { requireTools } from '../helpers/require-tools.js';
import { netnsAvailable, type Sshd, startSshd } from '../helpers/sshd.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

requireTools('sshd', 'ssh', 'ip', 'start-stop-daemon');

const tag = randomBytes(6).toString('hex');
const markers = [1, 2, 3, 4].map((i) => path.join(os.tmpdir(), `mcpgt-marker-${tag}-${i}`));
const EVIL_ARGS = [`$(touch ${markers[0]})`, `; touch ${markers[1]}`, `\`touch ${markers[2]}\``];
const EVIL_ENV = `x' "$(touch ${markers[3]})" '`;

interface Report {
  conditions: { type: string; status: string; reason: string; message: string }[];
  facts?: Record<string, string>;
  inventory: { server: string; health: string; endpoint?: string }[];
}

describe('reconcile a VM over ssh', {
  skip: !netnsAvailable() && 'needs root and ip netns',
  timeout: 600_000,
}, () => {
  let vm: Sshd;
  let wrongKey: Sshd;
  let repo: TempRepo;
  let home: string;
  const port = 45000 + Math.floor(Math.random() * 4000);
  const cli = () => cliRunner({ MCP_GITOPS_HOME: home });
  const baseDir = () => path.join(vm.dir, 'mcp');
  const pidOf = () =>
    Number(fs.readFileSync(path.join(baseDir(), 'servers/prod/everything/pid'), 'utf8').trim());
  const report = (target: string): Report =>
    JSON.parse(fs.readFileSync(path.join(repo.dir, `reports/prod/${target}.json`), 'utf8'));
  const condition = (r: Report, type: string) => r.conditions.find((c) => c.type === type);

  before(async () => {
    vm = await startSshd(undefined, { netns: true });
    wrongKey = await startSshd();
    fs.writeFileSync(path.join(wrongKey.dir, 'wrong_known_hosts'), await wrongKey.wrongKnownHostsLine());
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpgt-e2e-ssh-home-'));
    repo = createTempRepo('mcpgt-e2e-ssh-');
    const target = (name: string, url: string, identity: string, knownHosts: string, dir: string) =>
      [
        `    - name: ${name}`,
        '      provider: process',
        `      host: ${url}`,
        `      identityFile: { ref: "file:${identity}" }`,
        `      knownHosts: ${knownHosts}`,
        `      home: ${dir}`,
        `      baseDir: ${path.join(dir, 'mcp')}`,
        '      listenHost: 0.0.0.0',
      ].join('\n');
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: fleet\nspec:\n  branch: main\n',
    );
    repo.write(
      'environments/prod.yaml',
      [
        'apiVersion: mcp-gitops/v1',
        'kind: Environment',
        'metadata:',
        '  name: prod',
        'spec:',
        '  targets:',
        target('vm', vm.url, vm.identityFile, vm.knownHosts, vm.dir),
        target('down', `ssh://root@${vm.silentAddress}:22`, vm.identityFile, vm.knownHosts, vm.dir),
        target(
          'impostor',
          wrongKey.url,
          wrongKey.identityFile,
          path.join(wrongKey.dir, 'wrong_known_hosts'),
          wrongKey.dir,
        ),
        '  servers:',
        '    - name: everything',
        '      targets: [vm, down, impostor]',
        '',
      ].join('\n'),
    );
    repo.write(
      'servers/everything.yaml',
      [
        'apiVersion: mcp-gitops/v1',
        'kind: Server',
        'metadata:',
        '  name: everything',
        'spec:',
        '  description: Reference server, with arguments a shell would execute',
        '  package:',
        '    registryType: npm',
        '    identifier: "@modelcontextprotocol/server-everything"',
        '    version: "2026.8.31"',
        `    packageArguments: ${JSON.stringify(['streamableHttp', ...EVIL_ARGS])}`,
        '  transport: streamable-http',
        `  port: ${port}`,
        '  path: /mcp',
        '  env:',
        '    PORT: "{{server.port}}"',
        `    EVIL: ${JSON.stringify(EVIL_ENV)}`,
        '  health:',
        '    expectTools: [echo]',
        '    timeoutMs: 20000',
        '',
      ].join('\n'),
    );
    repo.commitAll('fleet: everything on a VM, a host that is down, an impostor');
  });

  after(async () => {
    try {
      const pid = pidOf();
      if (isProcessAlive(pid)) await stopProcess(pid);
    } catch {
      // Never started.
    }
    await vm?.stop();
    await wrongKey?.stop();
    repo?.cleanup();
    if (home) fs.rmSync(home, { recursive: true, force: true });
    for (const m of markers) fs.rmSync(m, { force: true });
  });

  test('first reconcile: the VM converges, verified from outside; the others are Stalled; exit 1', async () => {
    const res = await cli().run(['reconcile', '--repo', repo.dir], 300_000);
    assert.equal(res.code, 1, res.stdout + res.stderr);

    const vmReport = report('vm');
    assert.equal(condition(vmReport, 'Ready')?.status, 'True', JSON.stringify(vmReport.conditions));
    assert.equal(vmReport.facts?.supervisor, 'start-stop-daemon');
    assert.deepEqual(
      vmReport.inventory.map((e) => [e.server, e.health, e.endpoint]),
      [['everything', 'healthy', `http://${vm.address}:${port}/mcp`]],
      res.stdout + JSON.stringify(vmReport),
    );

    const down = report('down');
    assert.equal(condition(down, 'Stalled')?.status, 'True');
    assert.match(condition(down, 'Stalled')?.message ?? '', /unreachable|timed out|no route/i);

    const impostor = report('impostor');
    assert.equal(condition(impostor, 'Stalled')?.status, 'True');
    assert.match(condition(impostor, 'Stalled')?.message ?? '', /host key/i);
    // Refused before login: the impostor's sshd accepted no key and nothing was created there.
    const log = fs.readFileSync(path.join(wrongKey.dir, 'sshd.log'), 'utf8');
    assert.doesNotMatch(log, /Accepted publickey/);
    assert.equal(fs.existsSync(path.join(wrongKey.dir, 'mcp')), false);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  test('metacharacters in arguments and env values arrive literally; no shell ran them', () => {
    const argv = fs.readFileSync(`/proc/${pidOf()}/cmdline`, 'utf8').split('\0');
    for (const arg of EVIL_ARGS) assert.ok(argv.includes(arg), `${arg} missing from ${argv.join(' ')}`);
    const env = fs.readFileSync(path.join(baseDir(), 'servers/prod/everything/env'), 'utf8');
    assert.ok(env.includes('EVIL='), env);
    for (const m of markers) assert.equal(fs.existsSync(m), false, `${m} was created`);
  });

  test('second reconcile: nothing to do on the VM, no commit, still exit 1 for the Stalled targets', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    const pid = pidOf();
    const res = await cli().run(['reconcile', '--repo', repo.dir], 300_000);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.doesNotMatch(res.stdout, /prod\/vm: (create|update|delete)/);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    assert.equal(pidOf(), pid);
    assert.ok(isProcessAlive(pid));
    for (const m of markers) assert.equal(fs.existsSync(m), false);
  });
});
