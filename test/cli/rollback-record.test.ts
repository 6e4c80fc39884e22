/**
 * The records a newcomer reads after each command, through the real CLI on a real git repo: two
 * client-config targets (Claude Code's file in temp homes) running server-memory over stdio,
 * verified over MCP, `sync.prune: false`. Steps run in order and share the repo:
 * reconcile → `apply` then `reconcile` (the report records what apply applied, verified Ready) →
 * `status` says as of which commit and when → `/metrics` health agrees with `status` → a server
 * and a target added → `rollback --to dev/v1.0.0` (its own commit subject, a new tag naming the
 * rollback and the config it applied, what it keeps listed, no "Retired" for the added target) →
 * a second rollback with nothing to change still commits and tags.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readStatus } from '../../src/engine/read-status.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { recordRun } from '../../src/metrics/record-run.js';
import { cliRunner } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-rollback-record-'));
const home = path.join(base, 'home');
const home2 = path.join(base, 'home2');
fs.mkdirSync(home);
fs.mkdirSync(home2);
const cli = cliRunner({ MCP_GITOPS_HOME: home });
const repo = createTempRepo('mcp-gitops-rollback-record-repo-');

const target = (name: string, dir: string) =>
  `    - name: ${name}\n      provider: client-config\n      clients: [claude-code]\n      home: ${dir}\n`;
const envYaml = (targets: string, servers: string) =>
  `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  sync:\n    prune: false\n  targets:\n${targets}  servers:\n${servers}`;

function serverYaml(name: string, level: string): string {
  return `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  command:\n    path: ${process.execPath}\n    args: ["${serverBin('memory')}"]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: "${path.join(base, `${name}.jsonl`)}"\n    LEVEL: "${level}"\n  health:\n    expectTools: [read_graph]\n    timeoutMs: 15000\n`;
}

interface Report {
  retired?: unknown;
  conditions: { type: string; status: string; reason: string; message: string }[];
  inventory: { server: string; health: string; toolCount?: number }[];
  revision: { applied?: string; attempted?: string };
}

const mcp = (args: string[]) => cli.run(['--repo', repo.dir, ...args]);
const head = () => repo.git('rev-parse', 'HEAD');
const tags = () => repo.git('tag', '-l').split('\n').filter(Boolean);
const subject = (rev = 'HEAD') => repo.git('log', '-1', '--format=%s', rev);
const commitOf = (tag: string) => repo.git('rev-parse', `${tag}^{commit}`);
const report = (t = 'laptop', rev = 'HEAD') =>
  JSON.parse(repo.git('show', `${rev}:reports/dev/${t}.json`)) as Report;
const ready = (r: Report) => r.conditions.find((c) => c.type === 'Ready');
const level = (dir: string, server: string) =>
  (
    JSON.parse(fs.readFileSync(path.join(dir, '.claude.json'), 'utf8')) as {
      mcpServers: Record<string, { env: Record<string, string> } | undefined>;
    }
  ).mcpServers[server]?.env.LEVEL;

before(async () => {
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: records\nspec:\n  branch: main\n',
  );
  repo.write('servers/memory.yaml', serverYaml('memory', 'one'));
  repo.write('environments/dev.yaml', envYaml(target('laptop', home), '    - name: memory\n'));
  repo.commitAll('config');
  const first = await mcp(['reconcile']);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(tags(), ['dev/v1.0.0']);
});
after(() => {
  repo.cleanup();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('records that are right after every command (CLI, real git, client-config + server-memory)', {
  timeout: 600_000,
}, () => {
  test('apply then reconcile: the committed report records the revision apply applied, verified Ready', async () => {
    repo.write('servers/memory.yaml', serverYaml('memory', 'two'));
    const config = repo.commitAll('memory: two');
    const apply = await mcp(['apply']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.equal(level(home, 'memory'), 'two');
    assert.equal(head(), config, 'apply records nothing');

    const run = await mcp(['reconcile']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.notEqual(head(), config, 'reconcile records what apply left unrecorded');
    assert.equal(subject(), 'reconcile(dev): 0 changed, 0 failed, 0 drifted');
    assert.match(
      repo.git('log', '-1', '--format=%b'),
      /^Nothing was applied in this run: the reports record/m,
    );
    const r = report();
    assert.equal(r.revision.applied, config);
    assert.equal(ready(r)?.status, 'True', JSON.stringify(r.conditions));
    assert.equal(ready(r)?.reason, 'InSync');
    assert.deepEqual(
      r.inventory.map((e) => [e.server, e.health, e.toolCount]),
      [['memory', 'healthy', 9]],
    );

    const recorded = head();
    const again = await mcp(['reconcile']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(head(), recorded, 'the record is right already: nothing is written');
  });

  test('status says, per environment, as of which commit and when its reports were recorded', async () => {
    const recorded = head();
    const time = repo.git('log', '-1', '--format=%ct', recorded);
    const iso = new Date(Number(time) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // A later config commit that changes nothing on the targets: HEAD moves, the record does not.
    repo.write('README.md', 'notes\n');
    repo.commitAll('a readme');
    const res = await mcp(['status']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^dev: as of ${recorded.slice(0, 12)} \\(${iso}\\)$`, 'm'));
    assert.match(res.stdout, new RegExp(`^Read from the reports at HEAD \\(${head().slice(0, 12)}\\)`, 'm'));
    const json = JSON.parse((await mcp(['status', '--format', 'json'])).stdout) as {
      asOf: { environment: string; commit: string; time: string }[];
    };
    assert.deepEqual(json.asOf, [{ environment: 'dev', commit: recorded, time: iso }]);
  });

  test('metrics say the health status says, server by server', async () => {
    const metrics = createMetrics();
    const result = await reconcile({ repoDir: repo.dir });
    recordRun(metrics, result, { durationSeconds: 1, finishedAt: Date.now() });
    const text = await metrics.registry.metrics();
    const status = await readStatus(repo.dir);
    const pairs = status.reports.flatMap((r) => r.inventory.map((e) => [r.target, e.server, e.health]));
    assert.ok(pairs.length > 0);
    for (const [t, server, health] of pairs) {
      const labels = `environment="dev",target="${t}",server="${server}"`;
      assert.ok(text.includes(`mcp_gitops_server_health{${labels},state="${health}"} 1`), text);
      assert.match(
        text,
        new RegExp(`mcp_gitops_server_info\\{${labels},sync="[a-z-]+",health="${health}"\\} 1`),
      );
    }
    assert.doesNotMatch(text, /health="unknown"/);
  });

  test('rollback: its own commit subject, a new tag naming the rollback and the config applied, what it keeps', async () => {
    // After dev/v1.0.0: memory changed (two), a server and a target added.
    repo.write('servers/notes.yaml', serverYaml('notes', 'one'));
    repo.write(
      'environments/dev.yaml',
      envYaml(
        target('laptop', home) + target('laptop2', home2),
        '    - name: memory\n      targets: [laptop]\n    - name: notes\n',
      ),
    );
    repo.commitAll('notes, laptop2');
    const run = await mcp(['reconcile']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(tags(), ['dev/v1.0.0', 'dev/v1.1.0']);

    const res = await mcp(['rollback', '--env', 'dev', '--to', 'dev/v1.0.0']);
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
    const applied = commitOf('dev/v1.0.0');
    assert.equal(level(home, 'memory'), 'one', 'the rollback applied the tag');
    assert.equal(level(home, 'notes'), 'one', 'kept: prune is off');
    assert.equal(level(home2, 'notes'), 'one', 'the added target is left alone');

    assert.equal(subject(), 'rollback(dev): to dev/v1.0.0, 1 changed, 0 failed, 0 drifted');
    const body = repo.git('log', '-1', '--format=%B');
    assert.match(body, new RegExp(`^Mcp-Gitops-Applied-Revision: ${applied}$`, 'm'));
    assert.match(body, /^Mcp-Gitops-Rollback-To: dev\/v1\.0\.0$/m);
    assert.match(body, /^Mcp-Gitops-Report: true$/m);

    assert.deepEqual(tags(), ['dev/v1.0.0', 'dev/v1.1.0', 'dev/v1.1.1']);
    assert.equal(commitOf('dev/v1.1.1'), head(), 'the tag is on the rollback commit');
    const message = repo.git('tag', '-l', '--format=%(contents)', 'dev/v1.1.1');
    assert.match(message, /^dev 1\.1\.1: Rollback of dev to dev\/v1\.0\.0, 1 changed, 0 drifted$/m);
    assert.match(message, new RegExp(`^config applied: ${applied} \\(the config of dev/v1\\.0\\.0;`, 'm'));

    assert.match(
      res.stdout,
      /^dev\/laptop: kept notes: not in dev\/v1\.0\.0, left running because sync\.prune is false there$/m,
    );
    assert.match(
      res.stdout,
      /^dev\/laptop2: kept as it is: the branch head has this target and dev\/v1\.0\.0 does not/m,
    );
    assert.match(res.stdout, /^Tagged dev\/v1\.1\.1$/m);

    // The records: no "Retired" for a target the branch head has; what runs is the tag's config.
    assert.equal(report('laptop2').retired, undefined);
    assert.equal(report('laptop').revision.applied, applied);
    const status = await mcp(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.doesNotMatch(status.stdout, /Retired|removed from the repo/);
    assert.match(status.stdout, /^dev\/laptop2 \[client-config on local\]: Ready$/m);
    assert.match(status.stdout, new RegExp(`^dev: as of ${head().slice(0, 12)} `, 'm'));
  });

  test('a rollback with nothing to change is still an event: a commit and a new tag', async () => {
    const before = head();
    const res = await mcp(['rollback', '--env', 'dev', '--to', 'dev/v1.0.0']);
    assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
    assert.match(res.stdout, /^Rollback: 0 changed, 0 failed, 0 drifted, 0 stalled\.$/m);
    assert.equal(repo.git('rev-parse', 'HEAD~1'), before, 'dev was suspended already: one commit');
    assert.equal(subject(), 'rollback(dev): to dev/v1.0.0, 0 changed, 0 failed, 0 drifted');
    assert.equal(tags().at(-1), 'dev/v1.1.2');
    const message = repo.git('tag', '-l', '--format=%(contents)', 'dev/v1.1.2');
    assert.match(message, /Rollback of dev to dev\/v1\.0\.0/);
    assert.match(message, /^patch: rolled back to dev\/v1\.0\.0; nothing on the targets had to change$/m);
    assert.match(res.stdout, /^dev\/laptop: kept notes: /m);
  });
});
