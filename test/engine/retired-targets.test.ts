/**
 * Targets removed from the repo, reconciled in-process with the real providers on this machine:
 * client-config targets writing Cursor files in a temp MCP_GITOPS_HOME (registering a real
 * server-everything over HTTP) and a process target running a real MCP server under
 * start-stop-daemon. Steps run in order on one config repo.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { planRun } from '../../src/engine/plan-run.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { stopServers } from '../../src/engine/stop-servers.js';
import { createLogger } from '../../src/log/logger.js';
import { renderPlanJson } from '../../src/render/render-plan-json.js';
import { renderPlanMarkdown } from '../../src/render/render-plan-markdown.js';
import { renderPlanText } from '../../src/render/render-plan-text.js';
import { cliRunner } from '../helpers/cli.js';
import { freePort, isProcessAlive, startEverythingHttp, tempDir, waitFor } from '../helpers/mcp-servers.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { canaryServerScript } from '../providers/process/canary-server.js';
import * as yaml from './retired-config.js';

requireTools('start-stop-daemon');

const cleanups: (() => unknown)[] = [];
const ctx = { after: (fn: () => unknown) => cleanups.push(fn) };
let home = '';
let repo: TempRepo;
let remoteUrl = '';
let svcPort = 0;

const deps = { logger: createLogger({ level: 'silent' }) };
const run = () => reconcile({ repoDir: repo.dir, deps });
const plan = (filter: { environment?: string; target?: string } = {}) =>
  planRun({ repoDir: repo.dir, deps, ...filter });
const cursorEntries = (target: string): string[] => {
  const file = path.join(home, 'p', target, '.cursor/mcp.json');
  return Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).mcpServers ?? {}).sort();
};
const atHead = (file: string) => repo.git('ls-files', file);
const head = () => repo.git('rev-parse', 'HEAD');
const svcPid = () =>
  Number(fs.readFileSync(path.join(home, '.mcp-gitops/servers/dev/svc/pid'), 'utf8').trim());

describe('targets removed from the repo (real client-config and process providers)', {
  timeout: 120_000,
}, () => {
  before(async () => {
    home = await tempDir(ctx, 'mcp-gitops-retired-');
    process.env.MCP_GITOPS_HOME = home;
    remoteUrl = (await startEverythingHttp(ctx)).url;
    svcPort = await freePort();
    const script = path.join(home, 'svc-server.mjs');
    fs.writeFileSync(
      script,
      canaryServerScript().replace(
        'httpServer.listen(Number(process.env.PORT),',
        "httpServer.listen(Number(process.env.PORT), '127.0.0.1',",
      ),
    );
    repo = createTempRepo('mcp-gitops-retired-repo-');
    cleanups.push(() => repo.cleanup());
    repo.write('mcp-gitops.yaml', yaml.repository());
    repo.write('servers/remote.yaml', yaml.remoteServer('remote', remoteUrl));
    repo.write('servers/remote2.yaml', yaml.remoteServer('remote2', remoteUrl));
    repo.write('servers/svc.yaml', yaml.commandServer('svc', process.execPath, script, svcPort));
    repo.write('environments/dev.yaml', yaml.dev(['laptop', 'old', 'attic'], true));
    repo.write('environments/keep.yaml', yaml.cursorEnv('keep', ['desk', 'spare'], false));
    repo.write('environments/staging.yaml', yaml.cursorEnv('staging', ['box'], true));
    repo.commitAll('config');
    const first = await run();
    assert.equal(first.failed, false, JSON.stringify(first.targets.map((t) => t.results)));
  });

  after(async () => {
    await stopServers({ repoDir: repo.dir, providers: ['process'] }).catch(() => []);
    for (const fn of cleanups.reverse()) await fn();
  });

  test('(a) a client-config target removed with prune: true loses its entries and its report', async () => {
    assert.deepEqual(cursorEntries('old'), ['remote']);
    repo.write('environments/dev.yaml', yaml.dev(['laptop', 'attic'], true));
    repo.commitAll('remove target old');
    const planned = await plan();
    const text = renderPlanText(planned.plan);
    assert.match(
      text,
      /^dev\/old \(client-config on local, removed from the repo\)\n {2}- remote: delete \(prune\)$/m,
    );
    const res = await run();
    assert.equal(res.failed, false);
    assert.deepEqual(cursorEntries('old'), []);
    assert.deepEqual(cursorEntries('laptop'), ['remote'], 'the other targets are left alone');
    assert.ok(res.commit);
    assert.equal(atHead('reports/dev/old.json'), '');
    assert.doesNotMatch(repo.git('show', 'HEAD:reports/dev/README.md'), /old/);
    assert.match(repo.git('cat-file', '-p', res.tags[0] ?? ''), /major: server remote on old removed/);
  });

  test('(c) a process target removed with prune: true has its server process stopped', async () => {
    const pid = svcPid();
    assert.ok(isProcessAlive(pid));
    repo.write('environments/dev.yaml', yaml.dev(['laptop', 'attic'], true, false));
    repo.commitAll('remove target services');
    const res = await run();
    assert.equal(res.failed, false, JSON.stringify(res.targets.map((t) => t.results)));
    assert.deepEqual(
      res.targets
        .find((t) => t.target === 'services')
        ?.results.map((r) => `${r.action} ${r.server}:${r.outcome}`),
      ['delete svc:applied'],
    );
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: `pid ${pid} to stop` });
    assert.equal(atHead('reports/dev/services.json'), '');
  });

  test('(b) removed with prune: false: entries kept, report marked retired, plan shows it, a rerun commits nothing', async () => {
    repo.write('environments/keep.yaml', yaml.cursorEnv('keep', ['spare'], false));
    repo.commitAll('remove target desk');
    const planned = (await plan()).plan;
    assert.match(
      renderPlanText(planned),
      /^keep\/desk \(client-config on local, removed from the repo\)\n {2}= remote: kept, no longer in the repo \(sync\.prune is false\)$/m,
    );
    assert.match(
      renderPlanMarkdown(planned),
      /\| `desk` \(removed from the repo\) \| client-config \|.*\| Kept \(sync\.prune is false\) \|/,
    );
    const json = JSON.parse(renderPlanJson(planned));
    const desk = json.targets.find((t: { target: string }) => t.target === 'desk');
    assert.deepEqual(desk.retired, {
      environmentRemoved: false,
      prune: false,
      revision: desk.retired.revision,
    });
    assert.match(desk.retired.revision, /^[0-9a-f]{40}$/);

    // A retired target belongs to its environment: --env selects it, another --env or --target does not.
    assert.ok((await plan({ environment: 'keep' })).plan.targets.some((t) => t.target === 'desk'));
    assert.ok(!(await plan({ environment: 'dev' })).plan.targets.some((t) => t.target === 'desk'));
    assert.ok(!(await plan({ target: 'spare' })).plan.targets.some((t) => t.target === 'desk'));

    const res = await run();
    assert.equal(res.failed, false);
    assert.ok(res.commit);
    assert.deepEqual(cursorEntries('desk'), ['remote']);
    const report = JSON.parse(repo.git('show', 'HEAD:reports/keep/desk.json'));
    assert.equal(report.retired.prune, false);
    assert.deepEqual(report.conditions[0], {
      type: 'Ready',
      status: 'False',
      reason: 'Retired',
      message: 'removed from the repo; still on the target: remote (kept: sync.prune is false)',
    });
    assert.match(
      repo.git('show', 'HEAD:reports/keep/README.md'),
      /\| \[`desk`\]\(#target-desk\) \| client-config \| `local` \| Retired \|/,
    );
    // The commands people read it with, through the real CLI.
    const cli = cliRunner({ MCP_GITOPS_HOME: home, MCP_GITOPS_LOG_LEVEL: 'silent' });
    const [status, drift] = await Promise.all([
      cli.run(['status', '--repo', repo.dir, '--env', 'keep']),
      cli.run(['drift', '--repo', repo.dir, '--env', 'keep']),
    ]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(
      status.stdout,
      /^keep\/desk \[client-config on local, removed from the repo\]: Not ready \(Retired\)$/m,
    );
    assert.equal(drift.code, 0, drift.stderr);
    assert.match(drift.stdout, /^keep\/desk: removed from the repo; kept \(sync\.prune is false\): remote$/m);
    const before = head();
    const again = await run();
    assert.equal(again.commit, undefined);
    assert.deepEqual(again.tags, []);
    assert.equal(head(), before);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  test("(d) a removed environment's targets are handled with that environment's old prune", async () => {
    assert.deepEqual(cursorEntries('box'), ['remote']);
    const tagsBefore = repo.git('tag', '-l', 'staging/*');
    fs.rmSync(path.join(repo.dir, 'environments/staging.yaml'));
    repo.commitAll('remove environment staging');
    const planned = (await plan()).plan;
    assert.match(
      renderPlanText(planned),
      /^staging\/box \(client-config on local, removed from the repo with its environment\)\n {2}- remote: delete \(prune\)$/m,
    );
    const res = await run();
    assert.equal(res.failed, false);
    assert.deepEqual(cursorEntries('box'), []);
    assert.equal(atHead('reports/staging/box.json'), '');
    assert.equal(atHead('reports/staging/README.md'), '');
    assert.doesNotMatch(repo.git('show', 'HEAD:reports/README.md'), /staging/);
    assert.equal(repo.git('tag', '-l', 'staging/*'), tagsBefore, 'a removed environment gets no new tag');
  });

  test('(e) settings unreadable (history rewritten): reported unreachable, the other targets still reconciled', async () => {
    const file = 'reports/dev/attic.json';
    const report = JSON.parse(repo.git('show', `HEAD:${file}`));
    report.revision = { applied: 'f'.repeat(40), attempted: 'f'.repeat(40) };
    report.runs = report.runs.map((r: object) => ({ ...r, revision: 'f'.repeat(40) }));
    repo.write(file, `${JSON.stringify(report, null, 2)}\n`);
    repo.write('environments/dev.yaml', yaml.dev(['laptop'], true, false, ['remote2']));
    repo.commitAll('squashed history; remove attic; laptop gets remote2');
    const res = await run();
    assert.equal(res.failed, true, 'an unreachable target fails the run');
    const attic = res.plan.targets.find((t) => t.target === 'attic');
    assert.match(
      attic?.stalled?.reason ?? '',
      /config revision ffffffffffff: that commit is not in this repository/,
    );
    assert.deepEqual(cursorEntries('attic'), ['remote'], 'nothing is touched without its settings');
    assert.deepEqual(cursorEntries('laptop'), ['remote', 'remote2']);
    const kept = JSON.parse(repo.git('show', `HEAD:${file}`));
    assert.equal(kept.retired.environmentRemoved, false);
    assert.equal(
      kept.conditions.find((c: { type: string }) => c.type === 'Stalled').reason,
      'TargetUnreachable',
    );
    const before = head();
    assert.equal((await run()).commit, undefined);
    assert.equal(head(), before);
  });

  test('(f) a target renamed onto the same client file: the old name lets go first, the new one keeps the entries', async () => {
    repo.write('environments/dev.yaml', yaml.dev(['desk2@laptop'], true, false, ['remote2']));
    repo.commitAll('rename laptop to desk2');
    const res = await run();
    const desk2 = res.targets.find((t) => t.target === 'desk2');
    assert.deepEqual(
      desk2?.results.map((r) => `${r.action} ${r.server}:${r.outcome}`),
      ['create remote:applied', 'create remote2:applied'],
    );
    assert.deepEqual(cursorEntries('laptop'), ['remote', 'remote2']);
    assert.equal(atHead('reports/dev/laptop.json'), '');
    const before = head();
    const again = await run();
    assert.equal(
      again.plan.targets.find((t) => t.target === 'desk2')?.changes.every((c) => c.action === 'noop'),
      true,
    );
    assert.equal(again.commit, undefined);
    assert.equal(head(), before);
  });
});
