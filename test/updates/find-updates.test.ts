/**
 * findUpdates end to end against a REAL npm registry (verdaccio 6.0.5 on loopback, U1's helper)
 * seeded with the demo MCP server's three versions, over a real git config repo pinned at 1.0.0:
 * what each policy proposes and holds, where the pinned version is written, one registry query
 * per package, a registry that is down failing only its own server, and the registry token never
 * appearing in the report.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { McpGitopsError } from '../../src/core/errors.js';
import { findUpdates } from '../../src/updates/find-updates.js';
import type { ServerUpdates, UpdatesReport } from '../../src/updates/types.js';
import { freePorts } from '../helpers/kube-processes.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { startVerdaccio, type Verdaccio } from '../helpers/verdaccio.js';

const DEMO = 'mcp-gitops-demo-server';
const DAY = 86_400_000;
let registry: Verdaccio;
let deadUrl: string;
let home: string;
const repos: TempRepo[] = [];

before(async () => {
  registry = await startVerdaccio();
  const long = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  await registry.seed(DEMO, [
    { version: '1.0.0', publishedAt: long(60) },
    { version: '1.1.0', publishedAt: long(30) },
    { version: '2.0.0', publishedAt: long(10) },
  ]);
  await registry.seed('young-server', [
    { version: '1.0.0', publishedAt: long(60) },
    { version: '1.1.0', publishedAt: long(20) },
    { version: '1.2.0', publishedAt: new Date(Date.now() - 5 * 3_600_000).toISOString() },
  ]);
  const [port] = await freePorts(1);
  deadUrl = `http://127.0.0.1:${port}/`;
  // The user's npm config: everything from verdaccio with its token, `@down/*` from a dead port.
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-find-updates-home-'));
  const host = new URL(registry.url).host;
  fs.writeFileSync(
    path.join(home, '.npmrc'),
    `registry=${registry.url}\n@down:registry=${deadUrl}\n//${host}/:_authToken=\${NPM_TOKEN}\n`,
  );
});

after(async () => {
  await registry?.stop();
  for (const repo of repos) repo.cleanup();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const REPOSITORY = (extra = '') => `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: updates-test }
spec:
  branch: main
${extra}`;

function server(name: string, identifier: string, version: string, updates = ''): string {
  return `apiVersion: mcp-gitops/v1
kind: Server
metadata:
  name: ${name}
  labels: { team: platform }
spec:
  package:
    registryType: npm
    identifier: "${identifier}"
    version: "${version}"
  transport: stdio
${updates}`;
}

function environment(name: string, servers: string): string {
  return `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: ${name} }
spec:
  targets:
    - name: laptop
      provider: client-config
      host: local
      clients: [claude-code]
  servers:
${servers}`;
}

function configRepo(files: Record<string, string>): TempRepo {
  const repo = createTempRepo('mcp-gitops-find-updates-');
  repos.push(repo);
  for (const [file, text] of Object.entries(files)) repo.write(file, text);
  repo.commitAll('config');
  return repo;
}

const run = (repo: TempRepo, extra: Partial<Parameters<typeof findUpdates>[0]> = {}) =>
  findUpdates({ dir: repo.dir, env: { NPM_TOKEN: registry.token }, homeDir: home, ...extra });

const byName = (report: UpdatesReport, name: string): ServerUpdates => {
  const found = report.servers.find((s) => s.server === name);
  assert.ok(found, `${name} in the report`);
  return found;
};

function assertNoToken(report: UpdatesReport): void {
  assert.equal(JSON.stringify(report).includes(registry.token), false, 'the registry token is in the report');
}

describe('findUpdates against a real npm registry', () => {
  test('allow minor (the default) proposes 1.1.0 and holds 2.0.0; a dead registry fails only its server', async () => {
    const repo = configRepo({
      'mcp-gitops.yaml': REPOSITORY(),
      'servers/demo.yaml': server('demo', DEMO, '1.0.0'),
      'servers/broken.yaml': server('broken', '@down/thing', '1.0.0'),
      'environments/dev.yaml': environment('dev', '    - name: demo\n    - name: broken\n'),
    });
    const report = await run(repo);
    assert.match(report.revision, /^[0-9a-f]{40}$/);
    assert.deepEqual(
      report.servers.map((s) => s.server),
      ['broken', 'demo'],
    );
    const demo = byName(report, 'demo');
    assert.equal(demo.error, undefined);
    assert.deepEqual(demo.environments, ['dev']);
    assert.deepEqual(demo.targets, ['dev/laptop']);
    assert.equal(demo.kind, 'npm');
    assert.equal(demo.current, '1.0.0');
    assert.equal(demo.registry, new URL(registry.url).origin);
    assert.deepEqual(
      demo.allowed.map((r) => r.version),
      ['1.1.0'],
    );
    assert.equal(demo.proposed?.pin, '1.1.0');
    assert.deepEqual(demo.held, [
      { version: '2.0.0', reason: 'not-allowed', detail: 'a major update; the policy allows minor' },
    ]);
    assert.deepEqual(demo.location, {
      file: 'servers/demo.yaml',
      line: 10,
      path: ['spec', 'package', 'version'],
    });
    const broken = byName(report, 'broken');
    assert.ok(broken.error, 'the dead registry is reported on its server');
    assert.equal(broken.allowed.length, 0);
    assert.equal(broken.error.includes(registry.token), false);
    assert.ok(report.requests >= 2, `requests: ${report.requests}`);
    assertNoToken(report);
  });

  test("allow major on the Server proposes 2.0.0; a rule's ignore holds 1.1.0", async () => {
    const repo = configRepo({
      'mcp-gitops.yaml': REPOSITORY(
        '  updates:\n    rules:\n      - match: { labels: { team: platform } }\n        ignore: ["1.1.0"]\n',
      ),
      'servers/major.yaml': server('major', DEMO, '1.0.0', '  updates: { allow: major }\n'),
      'servers/minor.yaml': server('minor', DEMO, '1.0.0'),
      'environments/dev.yaml': environment('dev', '    - name: major\n    - name: minor\n'),
    });
    const report = await run(repo);
    const major = byName(report, 'major');
    assert.deepEqual(
      major.allowed.map((r) => r.version),
      ['2.0.0'],
    );
    assert.equal(major.proposed?.version, '2.0.0');
    assert.deepEqual(
      major.held.map((h) => `${h.version} ${h.reason}`),
      ['1.1.0 ignored'],
    );
    const minor = byName(report, 'minor');
    assert.equal(minor.proposed, undefined);
    assert.deepEqual(
      minor.held.map((h) => `${h.version} ${h.reason}`),
      ['2.0.0 not-allowed', '1.1.0 ignored'],
    );
    // Two servers pinning the same package at the same version: the registry is asked once.
    assert.equal(report.requests, 1);
    assertNoToken(report);
  });

  test('a release younger than minimumReleaseAge is held with its age', async () => {
    const repo = configRepo({
      'mcp-gitops.yaml': REPOSITORY(),
      'servers/young.yaml': server(
        'young',
        'young-server',
        '1.0.0',
        '  updates: { minimumReleaseAge: 3d }\n',
      ),
      'environments/dev.yaml': environment('dev', '    - name: young\n'),
    });
    const young = byName(await run(repo), 'young');
    assert.equal(young.proposed?.version, '1.1.0');
    assert.equal(young.held.length, 1);
    assert.equal(young.held[0]?.version, '1.2.0');
    assert.equal(young.held[0]?.reason, 'too-young');
    assert.match(young.held[0]?.detail ?? '', /^published 5h( \d+m)? ago; minimum 3d$/);
  });

  test('an environment that pins its own version is its own entry, located in the environment file', async () => {
    const repo = configRepo({
      'mcp-gitops.yaml': REPOSITORY(),
      'servers/demo.yaml': server('demo', DEMO, '1.0.0', '  updates: { allow: none }\n'),
      'servers/other.yaml': server('other', DEMO, '1.0.0'),
      'environments/dev.yaml': environment('dev', '    - name: other\n'),
      'environments/prod.yaml': environment(
        'prod',
        `    - name: other\n      overrides:\n        package: { registryType: npm, identifier: ${DEMO}, version: "1.1.0" }\n    - name: demo\n`,
      ),
    });
    const report = await run(repo);
    const others = report.servers.filter((s) => s.server === 'other');
    assert.deepEqual(
      others.map((s) => [
        s.environments.join(','),
        s.current,
        s.location?.file,
        s.location?.line,
        s.proposed?.version,
      ]),
      [
        ['dev', '1.0.0', 'servers/other.yaml', 10, '1.1.0'],
        ['prod', '1.1.0', 'environments/prod.yaml', 13, undefined],
      ],
    );
    assert.deepEqual(others[1]?.location?.path, ['spec', 'servers', 0, 'overrides', 'package', 'version']);
    assert.equal(byName(report, 'demo').skipped, 'updates are off for this server (allow: none)');
    // --env: only the environments asked for.
    const prod = await run(repo, { environments: ['prod'] });
    assert.deepEqual(
      prod.servers.map((s) => `${s.server} ${s.environments.join(',')}`),
      ['demo prod', 'other prod'],
    );
  });

  test('invalid config fails as plan does; an unknown environment is a usage error', async () => {
    const repo = configRepo({
      'mcp-gitops.yaml': REPOSITORY('  updates:\n    rules:\n      - schedule: "61 * * * *"\n'),
      'servers/demo.yaml': server('demo', DEMO, '1.0.0'),
      'environments/dev.yaml': environment('dev', '    - name: demo\n'),
    });
    await assert.rejects(
      run(repo),
      (err: unknown) =>
        err instanceof McpGitopsError &&
        err.code === 'ERR_INVALID_CONFIG' &&
        (err.details ?? []).some(
          (d) => d.includes('mcp-gitops.yaml:8:') && d.includes('minute: 61 is outside 0-59'),
        ),
    );
    const good = configRepo({
      'mcp-gitops.yaml': REPOSITORY(),
      'servers/demo.yaml': server('demo', DEMO, '1.0.0'),
      'environments/dev.yaml': environment('dev', '    - name: demo\n'),
    });
    await assert.rejects(
      run(good, { environments: ['nope'] }),
      (err: unknown) => err instanceof McpGitopsError && err.code === 'ERR_USAGE',
    );
  });

  test('the committed config is read by default; --worktree reads the edit', async () => {
    const repo = configRepo({
      'mcp-gitops.yaml': REPOSITORY(),
      'servers/demo.yaml': server('demo', DEMO, '1.0.0'),
      'environments/dev.yaml': environment('dev', '    - name: demo\n'),
    });
    repo.write('servers/demo.yaml', server('demo', DEMO, '1.0.0', '  updates: { allow: major }\n'));
    const warnings: string[] = [];
    assert.equal(
      byName(await run(repo, { warning: (w) => warnings.push(w) }), 'demo').proposed?.version,
      '1.1.0',
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^servers\/demo\.yaml:\d+:\d+: warning: .*\[uncommitted\]$/);
    const worktree = await run(repo, { worktree: true });
    assert.equal(worktree.revision, 'worktree');
    assert.equal(byName(worktree, 'demo').proposed?.version, '2.0.0');
  });
});
