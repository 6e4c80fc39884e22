/**
 * What a person reads from the real CLI, byte for byte (after normalizing temp paths, times and
 * pids), against golden files in test/cli/golden/ (`UPDATE_GOLDEN=1` rewrites them):
 * - `apply` off a terminal: one progress line per event on stderr, each naming env/target/server,
 *   verify attempts included; a secret the failing server prints never shows;
 * - `apply --dry-run`: the plan's field diff, then the dry-run summary;
 * - `drift`: each drifted item with the reason reconcile gives (an unreadable client file; a
 *   process whose launcher died);
 * - `--repo` that does not exist, is a file, or is not in a work tree.
 * Real repos, the real CLI, real MCP servers from node_modules, the real process launcher.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cliRunner } from '../helpers/cli.js';
import { freePort, isProcessAlive, serverBin, stopProcess, waitFor } from '../helpers/mcp-servers.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const TINY = fileURLToPath(new URL('../../bench/fixtures/tiny-mcp-server.mjs', import.meta.url));
const EVERYTHING = serverBin('everything');
const CANARY = 'h5-canary-7f3a91c2e4';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-output-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

function golden(file: string, actual: string): void {
  const at = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(at, actual);
  else if (!fs.existsSync(at)) assert.fail(`${at} is missing: run with UPDATE_GOLDEN=1 and review it`);
  else assert.equal(actual, fs.readFileSync(at, 'utf8'), `${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Temp paths, the node binary, times, pids and ports vary between runs; the words do not. */
function normalize(text: string, repo: TempRepo, extra: Record<string, string> = {}): string {
  let out = text;
  for (const [from, to] of Object.entries({
    ...extra,
    [EVERYTHING]: '<everything>',
    [TINY]: '<tiny>',
    [repo.dir]: '<repo>',
    [base]: '<base>',
    [process.execPath]: '<node>',
  }))
    out = out.replaceAll(from, to);
  return out
    .replace(/\b\d+(\.\d+)? s\b/g, 'N s')
    .replace(/\bpid \d+/g, 'pid N')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
}

function configRepo(name: string, environment: string, servers: Record<string, string>): TempRepo {
  const repo = createTempRepo(`mcp-gitops-output-${name}-`);
  after(() => repo.cleanup());
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: output }\nspec: { branch: main }\n',
  );
  for (const [server, spec] of Object.entries(servers))
    repo.write(
      `servers/${server}.yaml`,
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: ${server} }\nspec:\n${spec}`,
    );
  repo.write('environments/dev.yaml', environment);
  repo.commitAll('config');
  return repo;
}

describe('output a person can follow (real CLI)', { timeout: 300_000 }, () => {
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  const repo = configRepo(
    'laptop',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [cursor, claude-code]\n      home: ${home}\n      projectDir: ~/src/app\n  servers:\n    - name: everything\n    - name: broken\n`,
    {
      everything: `  command: { path: ${process.execPath}, args: [${EVERYTHING}, stdio] }\n  transport: stdio\n  health: { expectTools: [echo], timeoutMs: 20000 }\n`,
      // Prints its secret and exits: the failure text carries what it printed, redacted.
      broken: `  command: { path: ${process.execPath}, args: ["-e", "console.error('token=' + process.env.TOKEN); process.exit(3)"] }\n  transport: stdio\n  secrets:\n    - { name: TOKEN, ref: env:H5_CANARY }\n  health: { timeoutMs: 5000 }\n`,
    },
  );
  const cli = cliRunner({ H5_CANARY: CANARY, NO_COLOR: '1' });
  after(() => {
    const all = cli.transcript.join('\n');
    assert.equal(all.includes(CANARY), false, 'the canary secret reached the output');
  });

  test('apply --dry-run prints the plan diff before its summary and applies nothing', async () => {
    const r = await cli.run(['--repo', repo.dir, 'apply', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    golden('apply-dry-run.stdout.txt', normalize(r.stdout, repo, { [home]: '<home>' }));
    assert.equal(r.stderr, 'dev/laptop: observing\n', 'a dry run neither applies nor verifies');
    assert.equal(fs.existsSync(path.join(home, 'src/app/.cursor/mcp.json')), false);
  });

  test('apply off a terminal: a progress line per event, naming env/target/server', async () => {
    const r = await cli.run(['--repo', repo.dir, 'apply']);
    assert.equal(r.code, 1, `broken is rolled back: ${r.stdout}${r.stderr}`);
    golden('apply-progress.stderr.txt', normalize(r.stderr, repo, { [home]: '<home>' }));
    for (const line of r.stderr.trimEnd().split('\n'))
      assert.match(line, /^dev\/laptop(\/(everything|broken))?: /, `a line that does not say where: ${line}`);
    assert.match(r.stderr, /^dev\/laptop\/broken: verify attempt 1: /m);
    assert.match(r.stdout, /create everything: applied \(healthy, 13 tools\)/);
  });

  test('drift says why a client file is unreadable, as reconcile does', async () => {
    fs.writeFileSync(path.join(home, 'src/app/.cursor/mcp.json'), '{ "mcpServers": { oops\n');
    const drift = await cli.run(['--repo', repo.dir, 'drift']);
    assert.equal(drift.code, 0, drift.stderr);
    golden('drift-unreadable.stdout.txt', normalize(drift.stdout, repo, { [home]: '<home>' }));
    const reconcile = await cli.run(['--repo', repo.dir, 'reconcile', '--no-commit']);
    const reason = /cursor: (.+)$/m.exec(drift.stdout)?.[1];
    assert.ok(reason && reconcile.stdout.includes(reason), `${drift.stdout}\n---\n${reconcile.stdout}`);
  });
});

describe('drift of a process whose launcher died (real launcher)', { timeout: 120_000 }, () => {
  test('names the server and says why it is not serving', async (t) => {
    const port = await freePort();
    const baseDir = path.join(base, 'procs');
    const repo = configRepo(
      'process',
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: vm\n      provider: process\n      baseDir: ${baseDir}\n  servers:\n    - name: tiny\n`,
      {
        tiny: `  command: { path: ${process.execPath}, args: [${TINY}, http] }\n  transport: streamable-http\n  port: ${port}\n  path: /mcp\n  env: { PORT: "{{server.port}}" }\n  health: { expectTools: [ping], timeoutMs: 15000 }\n`,
      },
    );
    const pidfile = path.join(baseDir, 'servers/dev/tiny/pid');
    t.after(async () => {
      if (fs.existsSync(pidfile)) await stopProcess(Number(fs.readFileSync(pidfile, 'utf8')), 2000);
    });
    const cli = cliRunner({ NO_COLOR: '1' });
    const applied = await cli.run(['--repo', repo.dir, 'apply']);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stderr, /^dev\/vm\/tiny: healthy, 1 tools/m);
    const launcher = Number(fs.readFileSync(pidfile, 'utf8'));
    process.kill(launcher, 'SIGKILL');
    await waitFor(() => !isProcessAlive(launcher), { what: 'the launcher to die' });
    const drift = await cli.run(['--repo', repo.dir, 'drift']);
    assert.equal(drift.code, 0, drift.stderr);
    golden('drift-process-down.stdout.txt', normalize(drift.stdout, repo));
  });
});

describe('--repo DIR says what is wrong with DIR', () => {
  const cli = cliRunner({});
  test('missing, a file, or outside a work tree', async () => {
    const missing = path.join(base, 'nope');
    const file = path.join(base, 'file.yaml');
    fs.writeFileSync(file, 'a: 1\n');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-no-git-'));
    after(() => fs.rmSync(outside, { recursive: true, force: true }));
    for (const [dir, message] of [
      [missing, `${missing} does not exist [ERR_NOT_A_REPO]`],
      [file, `${file} is not a directory [ERR_NOT_A_REPO]`],
      [outside, `${outside} is not inside a git work tree [ERR_NOT_A_REPO]`],
    ] as const) {
      for (const command of ['plan', 'drift']) {
        const r = await cli.run(['--repo', dir, command]);
        assert.equal(r.code, 1);
        assert.equal(r.stderr.split('\n')[0], `mcp-gitops: ${message}`, r.stderr);
      }
    }
    const hint = (await cli.run(['--repo', outside, 'plan'])).stderr;
    assert.match(hint, /^hint: .*`git init`.*`mcp-gitops init DIR`/m);
  });
});
