/**
 * `updates --open-prs` end to end, all real: the demo MCP server's three versions published with
 * `npm publish` to verdaccio on loopback, a git config repo pinned at 1.0.0 with the reviewed lock
 * of 1.0.0, pushed to a real HTTP git remote (git http-backend), findUpdates' report, and a
 * recording GitHub REST API on loopback (api.github.com's shape and GitHub Enterprise's /api/v3).
 * Each allowed update gets a branch whose commit bumps exactly the version line and adds the new
 * version's lock from a scratch verification, and a PR whose body shows the tool diff; a rerun
 * makes no request that changes anything; a closed PR is not recreated; a group makes one PR; the
 * GitHub token and a canary secret appear in no branch, commit, PR body or output; the user's work
 * tree and index are untouched.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { formatOutcome } from '../../../src/cli/commands/updates-open-prs.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { findUpdates } from '../../../src/updates/find-updates.js';
import { openUpdatePullRequests } from '../../../src/updates/pull-requests/open-update-prs.js';
import { validateConfig } from '../../../src/validate/validate-config.js';
import { startGitHubPullsApi } from '../../helpers/github-api.js';
import { DEMO_SERVER_DIR, writeDemoServerTarball } from '../../helpers/npm-tarball.js';
import { forgeFixture } from './forge-fixture.js';

const TOKEN = 'ghp_cAnArYtOkEn-u4-5f0c2e9a';
const SECRET = 'cAnArY-sEcReT-u4-71be03';
const fx = forgeFixture({
  label: 'open-prs',
  tokenEnv: { GITHUB_TOKEN: TOKEN },
  secret: SECRET,
  forgeName: 'GitHub',
  forgeYaml: (apiUrl) => `      github:
        repository: acme/config
        apiUrl: "${apiUrl}"
        token: { ref: env:GITHUB_TOKEN }
`,
});
const { configRepo, run, userState, remoteText, assertNoCanary } = fx;

describe('updates --open-prs against real git, npm and a recording GitHub API', () => {
  test('one PR per allowed update, with the bump, the new lock and the tool diff; rerun changes nothing; a closed PR stays closed', async () => {
    const api = await startGitHubPullsApi();
    fx.closeAfter(() => api.close());
    const repo = await configRepo('single', api.url, '{ allow: minor }', '{ allow: major }');
    const before = userState(repo);
    const first = await run(repo);
    assert.deepEqual(
      first.map((o) => [o.action, o.name, o.branch, o.versions, o.number]),
      [
        ['opened', 'demo', 'mcp-gitops/update-demo', ['demo@1.1.0'], 1],
        ['opened', 'edge', 'mcp-gitops/update-edge', ['edge@2.0.0'], 2],
      ],
      JSON.stringify(first),
    );
    assert.equal(first[0]?.url, 'https://github.example/acme/config/pull/1');
    assert.equal(userState(repo), before, "the user's work tree and index changed");

    // The branch: exactly the version line and the new lock, on top of main, by the configured author.
    const bare = path.join(fx.remotes, 'single.git');
    const git = (...args: string[]) => execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' });
    assert.equal(git('rev-parse', 'mcp-gitops/update-demo^'), git('rev-parse', 'main'));
    assert.deepEqual(git('diff', '--name-only', 'main', 'mcp-gitops/update-demo').trim().split('\n'), [
      'servers/demo.yaml',
      'tool-locks/demo/1.1.0.yaml',
    ]);
    const bump = git('diff', '-U0', 'main', 'mcp-gitops/update-demo', '--', 'servers/demo.yaml');
    assert.deepEqual(
      bump.split('\n').filter((l) => /^[-+][^-+]/.test(l)),
      ['-    version: "1.0.0" # keep quoted', '+    version: "1.1.0" # keep quoted'],
    );
    const lock = git('show', 'mcp-gitops/update-demo:tool-locks/demo/1.1.0.yaml');
    assert.match(lock, /name: reverse/);
    assert.match(lock, /version: "1\.1\.0"/);
    assert.equal(
      git('log', '-1', '--format=%an <%ae>', 'mcp-gitops/update-demo').trim(),
      'Update Bot <bot@example.com>',
    );
    // The branch's config is valid as it is: the new lock matches its fingerprints, the bump its schema.
    for (const branch of ['mcp-gitops/update-demo', 'mcp-gitops/update-edge']) {
      const loaded = await loadConfig({ root: repo.dir, rev: branch });
      const errors = [...loaded.diagnostics, ...validateConfig(loaded.config)].filter(
        (d) => d.severity === 'error',
      );
      assert.deepEqual(errors, [], branch);
    }
    assert.match(
      git('log', '-1', '--format=%B', 'mcp-gitops/update-demo'),
      /demo: 1\.0\.0 -> 1\.1\.0[\s\S]*update policy/,
    );

    // The PRs: marker, release, plan, tool diff; labels; the token only in Authorization.
    const demo = api.pulls.get(1);
    const edge = api.pulls.get(2);
    assert.ok(demo && edge);
    assert.equal(demo.base, 'main');
    assert.deepEqual(demo.labels, ['dependencies']);
    assert.match(demo.body, /^<!-- mcp-gitops:update name=demo versions=demo@1\.1\.0 -->/);
    assert.match(demo.body, /`dev\/laptop` · `demo`\n {2}- `package\.version`: `"1\.0\.0"` → `"1\.1\.0"`/);
    assert.match(demo.body, /tool-locks\/demo\/1\.0\.0\.yaml/);
    assert.match(demo.body, /reverse/);
    assert.match(demo.body, /tools: 1 changed, 1 added/);
    assert.match(
      demo.body,
      /~ add: changed\n {4}description: Add two \[-numbers\.-\]\{\+numbers and return their sum\.\+\}/,
    );
    assert.equal(edge.title, 'Update edge to 2.0.0');
    assert.match(edge.body, /`echo`: `readOnlyHint: true → false`/);
    assert.match(edge.body, /get_time/);
    for (const r of api.requests) assert.equal(r.authorization, `Bearer ${TOKEN}`);

    // Rerun: only reads.
    const writes = api.writes().length;
    const refs = remoteText('single');
    const second = await run(repo);
    assert.deepEqual(
      second.map((o) => o.action),
      ['unchanged', 'unchanged'],
    );
    assert.equal(api.writes().length, writes, 'a rerun changed something on the forge');
    assert.equal(remoteText('single'), refs, 'a rerun pushed');

    // Closed by a person: never reopened or recreated for that version.
    api.closePull(1);
    const third = await run(repo);
    assert.deepEqual(
      third.map((o) => [o.action, o.number]),
      [
        ['closed-before', 1],
        ['unchanged', 2],
      ],
    );
    assert.equal(api.writes().length, writes);
    assert.equal(api.pulls.size, 2);
    assert.equal(formatOutcome(third[0]!).startsWith('closed-before'), true);
    assert.equal(userState(repo), before, "the user's work tree and index changed");

    const everything = [
      remoteText('single'),
      JSON.stringify([...api.pulls.values()]),
      JSON.stringify(api.requests.map((r) => ({ ...r, authorization: undefined }))),
      [...first, ...second, ...third].map((o) => formatOutcome(o)).join('\n'),
    ].join('\n');
    assertNoCanary(everything, 'branches, commits, PRs or output');
  });

  test('a group is one branch and one PR; a GitHub Enterprise base URL works', async () => {
    const api = await startGitHubPullsApi({ prefix: '/api/v3' });
    fx.closeAfter(() => api.close());
    const repo = await configRepo(
      'group',
      api.url,
      '{ allow: major, group: stack }',
      '{ allow: minor, group: stack }',
    );
    const before = userState(repo);
    // --dry-run: says what would be opened, asks and pushes nothing.
    const report = await findUpdates({ dir: repo.dir, env: fx.env, homeDir: path.join(fx.temp, 'no-home') });
    const dry = await openUpdatePullRequests({ dir: repo.dir, report, env: fx.env, dryRun: true });
    assert.deepEqual(
      dry.map((o) => formatOutcome(o, true)),
      [
        'would open or update  mcp-gitops/update-stack  demo@2.0.0, edge@1.1.0  (dry run: "Update stack to demo@2.0.0, edge@1.1.0")',
      ],
    );
    assert.equal(api.requests.length, 0);
    assert.equal(
      execFileSync('git', ['-C', path.join(fx.remotes, 'group.git'), 'for-each-ref', '--format=%(refname)'], {
        encoding: 'utf8',
      }).trim(),
      'refs/heads/main',
    );
    const outcomes = await run(repo);
    assert.deepEqual(
      outcomes.map((o) => [o.action, o.name, o.branch, o.versions]),
      [['opened', 'stack', 'mcp-gitops/update-stack', ['demo@2.0.0', 'edge@1.1.0']]],
      JSON.stringify(outcomes),
    );
    assert.ok(api.requests.every((r) => r.path.startsWith('/api/v3/repos/acme/config/')));
    const pr = api.pulls.get(1);
    assert.ok(pr);
    assert.equal(pr.title, 'Update stack to demo@2.0.0, edge@1.1.0');
    assert.match(pr.body, /versions=demo@2\.0\.0,edge@1\.1\.0 -->/);
    const bare = path.join(fx.remotes, 'group.git');
    const files = execFileSync(
      'git',
      ['-C', bare, 'diff', '--name-only', 'main', 'mcp-gitops/update-stack'],
      {
        encoding: 'utf8',
      },
    );
    assert.deepEqual(files.trim().split('\n'), [
      'servers/demo.yaml',
      'servers/edge.yaml',
      'tool-locks/demo/2.0.0.yaml',
      'tool-locks/edge/1.1.0.yaml',
    ]);
    assert.equal(userState(repo), before);

    // A newer release while the PR is open: the branch is replaced and the PR's title and body updated.
    const firstCommit = execFileSync('git', ['-C', bare, 'rev-parse', 'mcp-gitops/update-stack'], {
      encoding: 'utf8',
    });
    const tools110 = JSON.parse(
      fs.readFileSync(path.join(DEMO_SERVER_DIR, 'versions.json'), 'utf8'),
    ) as Record<string, unknown[]>;
    await fx.registry.publish(await writeDemoServerTarball(fx.registry.storage, '1.2.0', tools110['1.1.0']), {
      tag: 'one-x',
    });
    const newer = await run(repo);
    assert.deepEqual(
      newer.map((o) => [o.action, o.number, o.versions]),
      [['updated', 1, ['demo@2.0.0', 'edge@1.2.0']]],
      JSON.stringify(newer),
    );
    assert.equal(api.pulls.size, 1);
    assert.equal(api.pulls.get(1)?.title, 'Update stack to demo@2.0.0, edge@1.2.0');
    assert.match(api.pulls.get(1)?.body ?? '', /versions=demo@2\.0\.0,edge@1\.2\.0 -->/);
    const git = (...args: string[]) => execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' });
    assert.notEqual(git('rev-parse', 'mcp-gitops/update-stack'), firstCommit);
    assert.equal(git('rev-parse', 'mcp-gitops/update-stack^'), git('rev-parse', 'main'));
    assert.match(
      git('show', 'mcp-gitops/update-stack:servers/edge.yaml'),
      /version: "1\.2\.0" # keep quoted/,
    );
    assert.deepEqual(
      api.writes().map((r) => `${r.method} ${r.path}`),
      [
        'POST /api/v3/repos/acme/config/pulls',
        'POST /api/v3/repos/acme/config/issues/1/labels',
        'PATCH /api/v3/repos/acme/config/pulls/1',
      ],
    );
    assert.equal(userState(repo), before);
    assertNoCanary(`${remoteText('group')}\n${JSON.stringify([...api.pulls.values()])}`, 'the group PR');
  });
});
