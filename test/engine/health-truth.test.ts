/**
 * Records that say what is true now, through the real CLI on a real config repo, a real
 * client-config target in a temp home and a real MCP server (server-memory over stdio, started by a
 * wrapper script the test can break without touching the config):
 * - `apply` then `reconcile`: the report records the revision really applied and the health really
 *   verified (no "not verified yet");
 * - a server that stops answering is Degraded with its reason after `reconcile --verify-all`, once:
 *   checking again changes nothing; when it answers again the report says so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { TargetReport } from '../../src/core/report.js';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-health-'));
const home = path.join(base, 'home');
fs.mkdirSync(home);
const wrapper = path.join(base, 'memory-server.sh');
const cli = cliRunner({ MCP_GITOPS_HOME: home });
const repo = createTempRepo();

function serve(working: boolean): void {
  fs.writeFileSync(
    wrapper,
    working
      ? `#!/bin/sh\nexec "${process.execPath}" "${serverBin('memory')}"\n`
      : '#!/bin/sh\necho "memory: cannot open its store" >&2\nexit 7\n',
    { mode: 0o755 },
  );
}

function report(): TargetReport {
  return JSON.parse(fs.readFileSync(path.join(repo.dir, 'reports/dev/laptop.json'), 'utf8')) as TargetReport;
}

const ready = () => {
  const c = report().conditions.find((x) => x.type === 'Ready')!;
  return `${c.status}:${c.reason}`;
};

after(() => {
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('health that is true now', { timeout: 300_000 }, () => {
  test('apply then reconcile records the applied revision and the verified health', async () => {
    serve(true);
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: health }\nspec:\n  branch: main\n',
    );
    repo.write(
      'servers/memory.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: memory }\nspec:\n  command: { path: ${wrapper} }\n  transport: stdio\n  env: { MEMORY_FILE_PATH: ${path.join(base, 'memory.jsonl')} }\n  health: { expectTools: [read_graph], timeoutMs: 15000 }\n`,
    );
    repo.write(
      'environments/dev.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${home}\n  servers:\n    - name: memory\n`,
    );
    const first = repo.commitAll('config');
    const applied = await cli.run(['--repo', repo.dir, 'apply']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(fs.existsSync(path.join(repo.dir, 'reports')), false, 'apply records nothing');

    const rec = await cli.run(['--repo', repo.dir, 'reconcile']);
    assert.equal(rec.code, 0, rec.stderr);
    assert.equal(report().revision.applied, first);
    assert.equal(report().inventory[0]?.health, 'healthy');
    assert.equal(report().inventory[0]?.toolCount, 9);
    assert.equal(ready(), 'True:InSync');
  });

  test('a server that stops answering is Degraded with its reason, recorded once', async () => {
    const before = repo.git('rev-list', '--count', 'HEAD');
    // A plain reconcile does not re-verify a server its report says is healthy.
    serve(false);
    assert.equal((await cli.run(['--repo', repo.dir, 'reconcile'])).code, 0);
    assert.equal(repo.git('rev-list', '--count', 'HEAD'), before);

    const broken = await cli.run(['--repo', repo.dir, 'reconcile', '--verify-all']);
    assert.equal(ready(), 'False:Degraded');
    const entry = report().inventory[0]!;
    assert.equal(entry.health, 'unhealthy');
    assert.match(entry.healthReason ?? '', /./);
    assert.match(report().conditions[0]!.message, /^unhealthy: memory \(/);
    assert.ok(broken.stdout.length > 0);
    const commits = Number(repo.git('rev-list', '--count', 'HEAD'));
    assert.equal(commits, Number(before) + 1, 'one report commit');

    // Checking again finds the same: nothing to record.
    await cli.run(['--repo', repo.dir, 'reconcile', '--verify-all']);
    assert.equal(Number(repo.git('rev-list', '--count', 'HEAD')), commits);

    serve(true);
    await cli.run(['--repo', repo.dir, 'reconcile', '--verify-all']);
    assert.equal(ready(), 'True:InSync');
    assert.equal(report().inventory[0]?.healthReason, undefined);
    assert.equal(Number(repo.git('rev-list', '--count', 'HEAD')), commits + 1);
  });
});
