/**
 * End to end on real processes and real git: the bundled quickstart (plus a second
 * process-provider server and a canary secret) reconciled through the real CLI with a temp
 * MCP_GITOPS_HOME. Steps run in order and share one config repo.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { stopServers } from '../../src/engine/stop-servers.js';
import { cliRunner } from '../helpers/cli.js';
import { freePort, inspectorCli, isProcessAlive, stopProcess, waitFor } from '../helpers/mcp-servers.js';
import { repoFromDir } from '../helpers/temp-repo.js';

const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-e2e-'));
const home = path.join(base, 'home');
fs.mkdirSync(home);
const cli = cliRunner({ MCP_GITOPS_HOME: home, MCP_GITOPS_LOG_LEVEL: 'debug', MCP_E2E_CANARY: CANARY });
let repo: ReturnType<typeof repoFromDir>;
let port1 = 0;
let port2 = 0;

const pidOf = (server: string) =>
  Number(fs.readFileSync(path.join(home, '.mcp-gitops/servers/dev', server, 'pid'), 'utf8').trim());
const head = () => repo.git('rev-parse', 'HEAD');
const tags = () => repo.git('tag', '-l');
const projectFile = (rel: string) => path.join(home, 'src/app', rel);

async function listTools(port: number, call?: string): Promise<{ tools: string[]; text?: string }> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    if (!call) return { tools };
    const res = await client.callTool({ name: call, arguments: {} });
    const text = (res.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');
    return { tools, text };
  } finally {
    await client.close();
  }
}

function writeSecond(kind: 'good' | 'broken'): void {
  const source =
    kind === 'good'
      ? `  package:\n    registryType: npm\n    identifier: "@modelcontextprotocol/server-everything"\n    version: "2026.8.31"\n    packageArguments: [streamableHttp]\n`
      : `  command:\n    path: /bin/sh\n    args: ["-c", "exit 3"]\n`;
  repo.write(
    'servers/second.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: second\nspec:\n${source}  transport: streamable-http\n  port: ${port2}\n  path: /mcp\n  env:\n    PORT: "{{server.port}}"\n  health:\n    expectTools: [echo]\n    timeoutMs: ${kind === 'good' ? 15000 : 4000}\n`,
  );
}

describe('reconcile the quickstart end to end', { timeout: 600_000 }, () => {
  before(async () => {
    port1 = await freePort();
    port2 = await freePort();
    const staging = path.join(base, 'staging');
    fs.cpSync(path.resolve('examples/quickstart'), staging, { recursive: true });
    const everything = path.join(staging, 'servers/everything.yaml');
    fs.writeFileSync(
      everything,
      fs
        .readFileSync(everything, 'utf8')
        .replace('port: 38101', `port: ${port1}`)
        .replace(
          '  health:',
          '  secrets:\n    - name: CANARY_TOKEN\n      ref: env:MCP_E2E_CANARY\n  health:',
        ),
    );
    const dev = path.join(staging, 'environments/dev.yaml');
    fs.writeFileSync(
      dev,
      `${fs.readFileSync(dev, 'utf8').trimEnd()}\n    - name: second\n      targets: [services]\n`,
    );
    repo = repoFromDir(staging, 'mcp-gitops-e2e-repo-');
    writeSecond('good');
    repo.commitAll('add a second served server');
  });

  after(async () => {
    await stopServers({ repoDir: repo.dir, providers: ['process'] }).catch(() => []);
    // Final sweep by pidfile, whatever happened above.
    const dir = path.join(home, '.mcp-gitops/servers/dev');
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const file = path.join(dir, name, 'pid');
      if (fs.existsSync(file)) await stopProcess(Number(fs.readFileSync(file, 'utf8').trim()), 2000);
    }
    repo.cleanup();
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('first reconcile: servers run and answer MCP, client configs written, reports committed, tag dev/v1.0.0', async () => {
    const res = await cli.run(['reconcile', '--repo', repo.dir]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /Tagged dev\/v1\.0\.0/);
    assert.equal(tags(), 'dev/v1.0.0');
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.match(
      repo.git('log', '-1', '--format=%an%n%B'),
      /^mcp-gitops\nreconcile\(dev\): 4 changed, 0 failed, 0 drifted\n\nMcp-Gitops-Report: true/,
    );
    assert.deepEqual(repo.git('ls-files', 'reports').split('\n').sort(), [
      'reports/README.md',
      'reports/dev/README.md',
      'reports/dev/laptop.json',
      'reports/dev/services.json',
    ]);
    const services = JSON.parse(fs.readFileSync(path.join(repo.dir, 'reports/dev/services.json'), 'utf8'));
    assert.deepEqual(
      services.inventory.map((e: { server: string; health: string }) => `${e.server}:${e.health}`),
      ['everything:healthy', 'second:healthy'],
    );

    const { tools } = await listTools(port1);
    assert.ok(tools.includes('echo') && tools.includes('get-sum'));
    assert.ok((await listTools(port2)).tools.includes('echo'));
    const inspector = execFileSync(
      process.execPath,
      [
        inspectorCli(),
        '--cli',
        `http://127.0.0.1:${port1}/mcp`,
        '--transport',
        'http',
        '--method',
        'tools/list',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.ok(
      JSON.parse(inspector).tools.some((t: { name: string }) => t.name === 'echo'),
      'an independent MCP client lists the tools',
    );

    const mcpJson = JSON.parse(fs.readFileSync(projectFile('.mcp.json'), 'utf8'));
    assert.equal(mcpJson.mcpServers.everything.url, `http://127.0.0.1:${port1}/mcp`);
    assert.ok(mcpJson.mcpServers.memory);
    assert.ok(fs.existsSync(projectFile('.cursor/mcp.json')));
    assert.ok(fs.existsSync(projectFile('.vscode/mcp.json')));
  });

  test('second reconcile: nothing to do, no commit, no tag', async () => {
    const before = head();
    const res = await cli.run(['reconcile', '--repo', repo.dir]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(head(), before);
    assert.equal(tags(), 'dev/v1.0.0');
    assert.equal(repo.git('status', '--porcelain'), '');
    const plan = await cli.run(['plan', '--repo', repo.dir, '--detailed-exitcode', '--format', 'markdown']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  });

  test('a hand-edited managed entry is drift naming the field; reconcile repairs it and keeps the user’s own entry', async () => {
    const file = projectFile('.mcp.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.mcpServers.memory.env.MEMORY_FILE_PATH = '/tmp/hand-edited.jsonl';
    doc.mcpServers['my-own'] = { command: 'my-tool', args: ['--flag'] };
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));

    const drift = await cli.run(['drift', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(drift.code, 2, drift.stdout + drift.stderr);
    assert.match(drift.stdout, /dev\/laptop: memory drifted: .*env\.MEMORY_FILE_PATH/);
    const saved = path.join(base, 'plan.json');
    const plan = await cli.run(['plan', '--repo', repo.dir, '--out', saved, '--detailed-exitcode']);
    assert.equal(plan.code, 2, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /Plan: 0 to create, 1 to update, 0 to delete, \d+ unchanged, 1 drifted\./);

    const res = await cli.run(['reconcile', '--repo', repo.dir]);
    assert.equal(res.code, 0, res.stderr);
    const after = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.notEqual(after.mcpServers.memory.env.MEMORY_FILE_PATH, '/tmp/hand-edited.jsonl');
    assert.deepEqual(after.mcpServers['my-own'], { command: 'my-tool', args: ['--flag'] });
    assert.doesNotMatch(tags(), /dev\/v1\.0\.1/, 'repairing drift is not a release');

    const stale = await cli.run(['apply', '--repo', repo.dir, '--plan', saved]);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /the saved plan is stale: the targets no longer match/);
  });

  test('a killed server is drift; reconcile with drift: correct restarts it', async () => {
    const pid = pidOf('everything');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 10_000, what: 'the server to die' });
    const drift = await cli.run(['drift', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(drift.code, 2, drift.stdout + drift.stderr);
    assert.match(drift.stdout, /dev\/services: everything drifted: .*running/);
    const res = await cli.run(['reconcile', '--repo', repo.dir]);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.notEqual(pidOf('everything'), pid);
    assert.ok((await listTools(port1)).tools.includes('echo'));
    const mine = JSON.parse(fs.readFileSync(projectFile('.mcp.json'), 'utf8')).mcpServers['my-own'];
    assert.deepEqual(
      mine,
      { command: 'my-tool', args: ['--flag'] },
      'the user’s entry survives every reconcile',
    );
  });

  test('a server that cannot start fails verification, is rolled back, exit 1; the others are untouched', async () => {
    const everythingPid = pidOf('everything');
    const mcpBefore = fs.readFileSync(projectFile('.mcp.json'), 'utf8');
    const tagsBefore = tags();
    writeSecond('broken');
    repo.commitAll('second: run a command that exits at once');
    const res = await cli.run(['reconcile', '--repo', repo.dir]);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(
      res.stdout,
      /dev\/services: update second: ROLLED BACK — verification failed: .*rolled back to the previous spec/,
    );
    const report = JSON.parse(repo.git('show', 'HEAD:reports/dev/services.json'));
    const last = report.lastApply.find((r: { server: string }) => r.server === 'second');
    assert.equal(last.outcome, 'rolled-back');
    assert.match(last.message, /verification failed/);
    assert.equal(report.conditions.find((c: { type: string }) => c.type === 'Stalled').reason, 'RolledBack');
    assert.match(repo.git('log', '-1', '--format=%s'), /reconcile\(dev\): 0 changed, 1 failed/);
    assert.equal(tags(), tagsBefore, 'a failed apply makes no tag');
    // Rolled back: the previous spec (the everything package) serves on port2 again.
    assert.ok((await listTools(port2)).tools.includes('echo'));
    assert.equal(pidOf('everything'), everythingPid);
    assert.equal(fs.readFileSync(projectFile('.mcp.json'), 'utf8'), mcpBefore);
  });

  test('--push without a remote is a clear error; status reads the committed reports', async () => {
    const push = await cli.run(['reconcile', '--repo', repo.dir, '--push']);
    assert.equal(push.code, 1);
    assert.match(push.stderr, /--push: .* has no git remote to push to/);
    const status = await cli.run(['status', '--repo', repo.dir]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /dev\/services \[process on local\]: Stalled \(RolledBack\)/);
    assert.match(status.stdout, /everything 2026\.8\.31 \(streamable-http\): healthy, 13 tools/);
  });

  test('the canary secret reached the server and appears nowhere else', async () => {
    const { text } = await listTools(port1, 'get-env');
    assert.ok(text?.includes(CANARY), 'the server process sees the secret');
    const envFile = path.join(home, '.mcp-gitops/servers/dev/everything/env');
    assert.equal(fs.statSync(envFile).mode & 0o777, 0o600);

    const leaks: string[] = [];
    const scan = (what: string, content: string) => {
      if (content.includes(CANARY)) leaks.push(what);
    };
    for (const [i, t] of cli.transcript.entries()) scan(`cli output #${i}`, t);
    assert.ok(cli.transcript.join('').includes('"level":20'), 'debug logs were captured');
    scan(
      'git objects',
      execFileSync('git', ['-C', repo.dir, 'cat-file', '--batch-all-objects', '--batch'], {
        encoding: 'latin1',
        maxBuffer: 1 << 28,
      }),
    );
    const walk = (dir: string, skip: (p: string) => boolean) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (skip(p)) continue;
        if (entry.isDirectory()) walk(p, skip);
        else if (entry.isFile()) scan(p, fs.readFileSync(p, 'latin1'));
      }
    };
    walk(repo.dir, () => false);
    scan('saved plan', fs.readFileSync(path.join(base, 'plan.json'), 'utf8'));
    walk(
      home,
      (p) =>
        p.endsWith(`${path.sep}packages`) || p === envFile || p.endsWith(`${path.sep}second${path.sep}env`),
    );
    assert.deepEqual(leaks, []);
  });
});
