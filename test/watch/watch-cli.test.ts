/**
 * `mcp-gitops watch` through the real CLI on a real temp config repo, with client-config targets
 * in a temp MCP_GITOPS_HOME and the real server-memory verified over stdio: saving an invalid
 * file prints its diagnostic and applies nothing; a commit reconciles; drift is repaired under
 * `correct` and only reported under `detect`; SIGINT stops it cleanly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cliRunner } from '../helpers/cli.js';
import { serverBin, tempDir, waitFor } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'mcp-gitops.js');

const memoryServer = (file: string) =>
  `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: memory\nspec:\n  command:\n    path: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(serverBin('memory'))}]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: ${JSON.stringify(file)}\n  health:\n    expectTools: [read_graph]\n`;
const environment = (name: string, drift: string, target: string) =>
  `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: ${name}\nspec:\n  sync:\n    drift: ${drift}\n    prune: true\n  targets:\n    - name: ${target}\n      provider: client-config\n      clients: [claude-code]\n      projectDir: ~/src/${target}\n  servers:\n    - name: memory\n`;

test('watch: saves validate, commits reconcile, drift by sync.drift, SIGINT stops', {
  timeout: 150_000,
}, async (t) => {
  const home = await tempDir(t, 'mcp-gitops-watch-home-');
  const repo = createTempRepo('mcp-gitops-watch-repo-');
  t.after(() => repo.cleanup());
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: watch\nspec:\n  branch: main\n',
  );
  repo.write('servers/memory.yaml', memoryServer(path.join(home, 'memory.jsonl')));
  repo.write('environments/dev.yaml', environment('dev', 'correct', 'laptop'));
  repo.write('environments/prod.yaml', environment('prod', 'detect', 'desk'));
  repo.commitAll('config');
  const clientFile = (target: string) => path.join(home, 'src', target, '.mcp.json');
  const memoryEntry = (target: string) => {
    try {
      return JSON.parse(fs.readFileSync(clientFile(target), 'utf8')).mcpServers?.memory;
    } catch {
      return undefined;
    }
  };

  const child = spawn(
    process.execPath,
    [BIN, 'watch', '--repo', repo.dir, '--interval', '2s', '--debounce', '200ms'],
    { env: { ...process.env, CI: '', MCP_GITOPS_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  /** Wait for `text` in what was printed after `from`; returns where it ends. */
  const printed = async (text: string | RegExp, from: number, timeoutMs = 40_000) => {
    await waitFor(
      () => {
        const rest = out.slice(from);
        return typeof text === 'string' ? rest.includes(text) : text.test(rest);
      },
      { timeoutMs, intervalMs: 100, what: `watch to print ${text}` },
    ).catch((err: Error) => assert.fail(`${err.message}\n--- output ---\n${out}`));
    return out.length;
  };

  // Start: validate the working tree, reconcile the committed config of both environments.
  let mark = await printed('Tagged prod/v1.0.0', 0, 60_000);
  assert.match(out, /validate: ✓ 4 documents valid in the working tree/);
  assert.equal(memoryEntry('laptop')?.env?.MEMORY_FILE_PATH, path.join(home, 'memory.jsonl'));
  assert.ok(memoryEntry('desk'));
  const afterStart = repo.git('rev-parse', 'HEAD');

  // Save an invalid file: its diagnostic is printed; nothing is reconciled, nothing committed.
  repo.write(
    'servers/broken.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: broken\nspec:\n  transport: carrier-pigeon\n',
  );
  mark = await printed(/validate: ✗ \d+ errors? in the working tree/, mark);
  assert.match(
    out,
    /servers\/broken\.yaml:6:14: error: spec\.transport: must be one of stdio, streamable-http, sse/,
  );
  assert.equal(repo.git('rev-parse', 'HEAD'), afterStart, 'an uncommitted edit changes nothing');

  // Fix it and commit a change: HEAD moves to a new config revision, which is reconciled.
  fs.rmSync(path.join(repo.dir, 'servers/broken.yaml'));
  repo.write('servers/memory.yaml', memoryServer(path.join(home, 'memory-2.jsonl')));
  const config = repo.commitAll('memory: a new file');
  mark = await printed(`config revision ${config.slice(0, 12)}`, mark);
  mark = await printed('Tagged prod/v1.0.1', mark);
  assert.equal(memoryEntry('laptop')?.env?.MEMORY_FILE_PATH, path.join(home, 'memory-2.jsonl'));
  assert.match(repo.git('log', '-1', '--format=%B'), /Mcp-Gitops-Report: true/);
  assert.equal(
    repo.git('log', '-1', '--format=%H', 'HEAD~1'),
    config,
    'one report commit on top of the config commit',
  );

  // Drift: under `correct` the next steady pass repairs it; under `detect` it is only reported.
  fs.writeFileSync(clientFile('laptop'), '{ "mcpServers": {} }\n');
  fs.writeFileSync(clientFile('desk'), '{ "mcpServers": {} }\n');
  await printed(
    'drift check:\nprod/desk: memory: drift not corrected (sync.drift is detect): claude-code',
    mark,
  );
  await printed('dev: targets differed from the repo (sync.drift is correct): repaired', mark);
  await printed(/Reconcile: 1 changed, 0 failed, 2 drifted, 0 stalled\.\nCommitted /, mark);
  assert.doesNotMatch(out.slice(mark), /Tagged dev\/v1\.0\.2/, 'repairing drift is not a release');
  assert.equal(memoryEntry('laptop')?.env?.MEMORY_FILE_PATH, path.join(home, 'memory-2.jsonl'));
  assert.equal(memoryEntry('desk'), undefined, 'detect: not corrected');

  // SIGINT: stops once the running step is done, exit code 0.
  child.kill('SIGINT');
  const code = await Promise.race([
    exited,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref()),
  ]);
  assert.equal(code, 0, `watch exited with ${code}\n${out}`);
  assert.match(out, /SIGINT: stopping after the running step\nstopped\n/);
});

test('watch --help says saves validate and only commits are reconciled', async () => {
  const res = await cliRunner({}).run(['watch', '--help'], 30_000);
  assert.equal(res.code, 0);
  assert.match(res.stdout, /--interval <duration>[^-]*\(default:\s+"5m"\)/);
  assert.match(res.stdout, /--debounce <duration>[^-]*\(default:\s+"500ms"\)/);
  assert.match(res.stdout, /nothing is applied: the desired state is the last\s+committed config revision/);
  assert.match(res.stdout, /warn \/ detect → printed\s+and recorded in the reports, not corrected/);
});

test('watch refuses a drift interval under a second and a bad duration, as usage errors', async () => {
  const cli = cliRunner({});
  const fast = await cli.run(['watch', '--interval', '10ms'], 30_000);
  assert.equal(fast.code, 1);
  assert.match(fast.stderr, /--interval 10ms: steady passes need at least 1s \[ERR_USAGE\]/);
  const bad = await cli.run(['watch', '--debounce', 'soon'], 30_000);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--debounce soon: not a duration \[ERR_USAGE\]\nhint: write a number with a unit/);
});
