/**
 * The whole loop in-process on a real git repo, with an in-memory target (the real providers
 * have their own tests; the e2e tests run them through the CLI).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { reconcile } from '../../src/engine/reconcile.js';
import type { EngineDeps } from '../../src/engine/types.js';
import { LocalHost } from '../../src/hosts/local-host.js';
import { createLogger } from '../../src/log/logger.js';
import { startGitHttpServer } from '../helpers/git-http-server.js';
import { fakeVerify, MemoryProvider } from '../helpers/memory-provider.js';
import { createTempRepo } from '../helpers/temp-repo.js';

const repo = createTempRepo();
after(() => repo.cleanup());

function serverYaml(name: string, env: Record<string, string> = {}): string {
  const envLines = Object.entries(env)
    .map(([k, v]) => `    ${k}: "${v}"\n`)
    .join('');
  return `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  command:\n    path: /usr/bin/${name}\n  transport: stdio\n${envLines ? `  env:\n${envLines}` : ''}`;
}

repo.write(
  'mcp-gitops.yaml',
  'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: unit\nspec:\n  branch: main\n',
);
repo.write('servers/a.yaml', serverYaml('a'));
repo.write('servers/b.yaml', serverYaml('b', { LEVEL: 'info' }));
repo.write(
  'environments/dev.yaml',
  'apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: dev\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n  servers:\n    - name: a\n    - name: b\n',
);
repo.commitAll('config');

const provider = new MemoryProvider();
const deps: Partial<EngineDeps> = {
  provider: () => provider,
  createHost: () => new LocalHost({ home: repo.dir }),
  verify: fakeVerify,
  logger: createLogger({ level: 'silent' }),
};
const run = (extra: Partial<Parameters<typeof reconcile>[0]> = {}) =>
  reconcile({ repoDir: repo.dir, deps, ...extra });

describe('reconcile (in-process, real git, in-memory target)', () => {
  test('first run commits reports and tags v1.0.0; a rerun does nothing at all', async () => {
    const first = await run();
    assert.equal(first.failed, false);
    assert.deepEqual(first.tags, ['dev/v1.0.0']);
    assert.ok(first.commit);
    assert.equal(repo.git('log', '-1', '--format=%an <%ae>'), 'mcp-gitops <mcp-gitops@users.noreply.local>');
    assert.match(repo.git('cat-file', '-p', 'dev/v1.0.0'), /first release of dev/);
    const headBefore = repo.git('rev-parse', 'HEAD');
    const second = await run();
    assert.equal(second.commit, undefined);
    assert.deepEqual(second.tags, []);
    assert.deepEqual(second.reportsChanged, []);
    assert.equal(repo.git('rev-parse', 'HEAD'), headBefore);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  test('dry run and --no-commit change nothing in git history', async () => {
    repo.write('servers/b.yaml', serverYaml('b', { LEVEL: 'debug' }));
    repo.commitAll('b: debug');
    const headBefore = repo.git('rev-parse', 'HEAD');
    const dry = await run({ dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.equal(dry.targets[0]?.results.find((r) => r.server === 'b')?.outcome, 'skipped');
    assert.equal(provider.state('laptop').get('b')?.spec.env?.LEVEL, 'info');
    assert.equal(repo.git('status', '--porcelain'), '');

    const noCommit = await run({ commit: false });
    assert.equal(noCommit.commit, undefined);
    assert.ok(noCommit.reportsChanged.includes('reports/dev/laptop.json'));
    assert.equal(repo.git('rev-parse', 'HEAD'), headBefore);
    assert.match(repo.git('status', '--porcelain'), /M {2}reports\/dev\/laptop\.json/);
  });

  test('the staged reports are committed by the next run, with a patch tag', async () => {
    provider.state('laptop').delete('a'); // someone removed a by hand: drift to repair
    const res = await run();
    assert.deepEqual(res.tags, ['dev/v1.1.0'], 'a server added back on the target is a minor bump');
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  test('a saved plan from an older revision is stale', async () => {
    const old = await run({ dryRun: true });
    repo.write('servers/a.yaml', serverYaml('a', { X: '1' }));
    repo.commitAll('a: X');
    await assert.rejects(
      run({ record: false, savedPlan: old.plan }),
      /the saved plan is stale: it was made at revision/,
    );
  });

  test('rollback reconciles to the desired state at a tag and tags anew', async () => {
    await run();
    assert.equal(provider.state('laptop').get('b')?.spec.env?.LEVEL, 'debug');
    const res = await run({ environment: 'dev', rev: 'dev/v1.0.0', note: 'rollback to dev/v1.0.0' });
    assert.equal(res.failed, false);
    assert.equal(provider.state('laptop').get('b')?.spec.env?.LEVEL, 'info');
    assert.equal(provider.state('laptop').get('a')?.spec.env, undefined);
    assert.equal(res.tags.length, 1);
    assert.match(repo.git('log', '-1', '--format=%B'), /rollback to dev\/v1\.0\.0/);
    assert.match(repo.git('cat-file', '-p', res.tags[0] as string), /rollback to dev\/v1\.0\.0/);
  });

  test('a target removed from the repo keeps a retired report (prune off); a new one adds a report and a minor tag', async () => {
    const env = (extra: string) =>
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: dev\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n${extra}  servers:\n    - name: a\n    - name: b\n`;
    repo.write(
      'environments/dev.yaml',
      env('    - name: desk\n      provider: client-config\n      clients: [claude-code]\n'),
    );
    repo.commitAll('add target desk');
    const added = await run();
    assert.match(added.tags[0] ?? '', /^dev\/v\d+\.\d+\.0$/);
    assert.match(
      repo.git('cat-file', '-p', added.tags[0] as string),
      /target desk added|server a on desk added/,
    );
    assert.equal(repo.git('ls-files', 'reports/dev/desk.json'), 'reports/dev/desk.json');
    repo.write('environments/dev.yaml', env(''));
    repo.commitAll('remove target desk');
    const removed = await run();
    assert.ok(removed.reportsChanged.includes('reports/dev/desk.json'));
    // sync.prune defaults to false: desk's servers stay, and its report says it was removed.
    const desk = JSON.parse(repo.git('show', 'HEAD:reports/dev/desk.json'));
    assert.equal(desk.retired.prune, false);
    assert.equal(desk.conditions[0].reason, 'Retired');
    assert.equal(provider.state('desk').size, 2);
    assert.match(
      repo.git('show', 'HEAD:reports/dev/README.md'),
      /\| \[`desk`\]\(#target-desk\) \| client-config \| `local` \| Retired \|/,
    );
    const head = repo.git('rev-parse', 'HEAD');
    assert.equal((await run()).commit, undefined);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
  });

  test('an unreachable target is reported Stalled once; staying down commits nothing more', async () => {
    provider.unreachable.add('laptop');
    try {
      const down = await run();
      assert.equal(down.failed, true);
      assert.ok(down.commit);
      const report = JSON.parse(repo.git('show', 'HEAD:reports/dev/laptop.json'));
      const stalled = report.conditions.find((c: { type: string }) => c.type === 'Stalled');
      assert.equal(stalled.reason, 'TargetUnreachable');
      assert.match(stalled.message, /connection refused to laptop/);
      assert.equal(report.runs[0].result, 'stalled');
      assert.ok(report.inventory.length > 0, 'the last known inventory is kept');
      const head = repo.git('rev-parse', 'HEAD');
      const again = await run();
      assert.equal(again.commit, undefined);
      assert.equal(repo.git('rev-parse', 'HEAD'), head);
    } finally {
      provider.unreachable.delete('laptop');
    }
  });

  test('--push without a remote fails before touching anything', async () => {
    const applied = provider.applied.length;
    await assert.rejects(run({ push: true }), /has no git remote to push to/);
    assert.equal(provider.applied.length, applied);
  });

  test('--push sends the report commit and the new tag to the HTTP remote', async (t) => {
    const remotes = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-remote-'));
    const server = await startGitHttpServer(remotes);
    t.after(async () => {
      await server.close();
      fs.rmSync(remotes, { recursive: true, force: true });
    });
    const bare = path.join(remotes, 'config.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    execFileSync('git', ['-C', bare, 'config', 'http.receivepack', 'true']);
    repo.git('remote', 'add', 'origin', `${server.url}/config.git`);
    repo.write('servers/a.yaml', serverYaml('a', { X: '2' }));
    repo.commitAll('a: X=2');
    const res = await run({ push: true });
    assert.equal(res.tags.length, 1);
    const remote = (...args: string[]) =>
      execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' }).trim();
    assert.equal(remote('rev-parse', 'main'), res.commit);
    assert.equal(remote('rev-parse', `${res.tags[0]}^{commit}`), res.commit);
  });
});
