/**
 * `clients detect` and `clients: [auto]` through the real CLI on a real git repo: a temp home
 * holding Cursor's folder, Claude Code's ~/.claude.json and Zed's ~/.config/zed (and no other
 * client) → detect lists exactly those three; a reconcile of a `clients: [auto]` target writes the
 * server into those three files only, and no other client's file or folder appears.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-clients-detect-'));
const home = path.join(base, 'home');
fs.mkdirSync(path.join(home, '.cursor'), { recursive: true });
fs.mkdirSync(path.join(home, '.config', 'zed'), { recursive: true });
fs.writeFileSync(path.join(home, '.claude.json'), '{"numStartups": 3}\n');
const cli = cliRunner({ MCP_GITOPS_HOME: home });
const repo = createTempRepo('mcp-gitops-clients-detect-repo-');
after(() => {
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

interface Detected {
  clients: { id: string; installed: boolean; evidence: string[] }[];
}
const installed = (out: string) =>
  (JSON.parse(out) as Detected).clients.filter((c) => c.installed).map((c) => `${c.id} ${c.evidence[0]}`);
const expected = [
  `claude-code ${path.join(home, '.claude.json')}`,
  `cursor ${path.join(home, '.cursor')}`,
  `zed ${path.join(home, '.config', 'zed')}`,
];

test('clients detect --home lists exactly the clients whose files are there', async () => {
  const json = await cli.run(['clients', 'detect', '--home', home, '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(installed(json.stdout), expected);
  assert.equal((JSON.parse(json.stdout) as Detected).clients.length, 32);
  const text = await cli.run(['clients', 'detect', '--home', home]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /3 of 32 installed/);
  assert.match(text.stdout, /^cursor\s+installed\s/m);
  assert.match(text.stdout, /^codex\s+not installed\s/m);
});

test('clients: [auto] writes only the detected clients’ files; detect --env --target agrees', async () => {
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: auto\nspec:\n  branch: main\n',
  );
  repo.write(
    'servers/memory.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: memory\nspec:\n  command:\n    path: ${process.execPath}\n    args: ["${serverBin('memory')}"]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: "${path.join(base, 'memory.jsonl')}"\n  health:\n    expectTools: [read_graph]\n    timeoutMs: 15000\n`,
  );
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [auto]\n      home: ${home}\n  servers:\n    - name: memory\n`,
  );
  repo.commitAll('config');
  const before = fs.readdirSync(home, { recursive: true }).map(String).sort();
  const run = await cli.run(['--repo', repo.dir, 'reconcile']);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const read = (...p: string[]) => JSON.parse(fs.readFileSync(path.join(home, ...p), 'utf8'));
  assert.ok(read('.cursor', 'mcp.json').mcpServers.memory);
  assert.ok(read('.claude.json').mcpServers.memory);
  assert.equal(read('.claude.json').numStartups, 3);
  assert.ok(read('.config', 'zed', 'settings.json').context_servers.memory);
  const added = fs
    .readdirSync(home, { recursive: true })
    .map(String)
    .filter((f) => !before.includes(f) && !f.startsWith('.mcp-gitops') && !f.startsWith('.local'))
    .sort();
  assert.deepEqual(added, [path.join('.config', 'zed', 'settings.json'), path.join('.cursor', 'mcp.json')]);
  const report = repo.git('show', 'HEAD:reports/dev/laptop.json');
  assert.match(report, /auto: claude-code,cursor,zed/);

  const detect = await cli.run([
    '--repo',
    repo.dir,
    'clients',
    'detect',
    '--env',
    'dev',
    '--target',
    'laptop',
    '--format',
    'json',
  ]);
  assert.equal(detect.code, 0, detect.stderr);
  assert.deepEqual(installed(detect.stdout), expected);
});

test('clients: [auto] mixed with ids is refused', async () => {
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [auto, cursor]\n      home: ${home}\n  servers:\n    - name: memory\n`,
  );
  const v = await cli.run(['--repo', repo.dir, 'validate']);
  assert.notEqual(v.code, 0);
  assert.match(v.stdout + v.stderr, /"auto" stands alone/);
});
