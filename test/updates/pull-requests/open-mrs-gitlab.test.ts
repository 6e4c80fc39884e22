/**
 * `updates --open-prs` with `pullRequests.gitlab`, end to end and all real but the forge: the demo
 * MCP server's versions published to verdaccio on loopback, a git config repo pinned at 1.0.0 with
 * 1.0.0's reviewed lock pushed to a real HTTP git remote, and a recording GitLab REST API v4 on
 * loopback (test/helpers/gitlab-api.ts). One merge request per allowed update, with the bump, the
 * new lock and the tool diff, labelled, against the base branch; a rerun writes nothing; an MR a
 * person closed is not recreated; a newer release updates the open MR; the project path is sent
 * URL-encoded; the GitLab token is sent only in PRIVATE-TOKEN and appears in no branch, commit, MR
 * or printed line, nor does the server's canary secret.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { formatOutcome } from '../../../src/cli/commands/updates-open-prs.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { validateConfig } from '../../../src/validate/validate-config.js';
import { startGitLabMergeRequestsApi } from '../../helpers/gitlab-api.js';
import { DEMO_SERVER_DIR, writeDemoServerTarball } from '../../helpers/npm-tarball.js';
import { forgeFixture } from './forge-fixture.js';

const TOKEN = 'glpat-cAnArYtOkEn-uc-8d31f0';
const SECRET = 'cAnArY-sEcReT-uc-4a92e7';
const fx = forgeFixture({
  label: 'open-mrs',
  tokenEnv: { GITLAB_TOKEN: TOKEN },
  secret: SECRET,
  forgeName: 'GitLab',
  forgeYaml: (apiUrl) => `      gitlab:
        project: acme/config
        apiUrl: "${apiUrl}"
        token: { ref: env:GITLAB_TOKEN }
`,
});
const { configRepo, run, userState, remoteText, assertNoCanary } = fx;

describe('updates --open-prs against real git, npm and a recording GitLab API', () => {
  test('one MR per allowed update with the tool diff; rerun writes nothing; a closed MR stays closed; a newer release updates the open MR', async () => {
    const api = await startGitLabMergeRequestsApi();
    fx.closeAfter(() => api.close());
    const repo = await configRepo('single', api.url, '{ allow: minor }', '{ allow: major }');
    const before = userState(repo);
    const first = await run(repo);
    assert.deepEqual(
      first.map((o) => [o.action, o.name, o.branch, o.versions, o.number, o.url]),
      [
        [
          'opened',
          'demo',
          'mcp-gitops/update-demo',
          ['demo@1.1.0'],
          1,
          'https://gitlab.example/acme/config/-/merge_requests/1',
        ],
        [
          'opened',
          'edge',
          'mcp-gitops/update-edge',
          ['edge@2.0.0'],
          2,
          'https://gitlab.example/acme/config/-/merge_requests/2',
        ],
      ],
      JSON.stringify(first),
    );
    assert.equal(userState(repo), before, "the user's work tree and index changed");

    // The branches: the version line and the new lock on top of main; valid config as they are.
    const bare = path.join(fx.remotes, 'single.git');
    const git = (...args: string[]) => execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' });
    assert.equal(git('rev-parse', 'mcp-gitops/update-demo^'), git('rev-parse', 'main'));
    assert.deepEqual(git('diff', '--name-only', 'main', 'mcp-gitops/update-demo').trim().split('\n'), [
      'servers/demo.yaml',
      'tool-locks/demo/1.1.0.yaml',
    ]);
    for (const branch of ['mcp-gitops/update-demo', 'mcp-gitops/update-edge']) {
      const loaded = await loadConfig({ root: repo.dir, rev: branch });
      const errors = [...loaded.diagnostics, ...validateConfig(loaded.config)].filter(
        (d) => d.severity === 'error',
      );
      assert.deepEqual(errors, [], branch);
    }

    // The MRs: source and target branch, labels, marker, plan and tool diff in the description.
    const demo = api.mergeRequests.get(1);
    const edge = api.mergeRequests.get(2);
    assert.ok(demo && edge);
    assert.equal(demo.sourceBranch, 'mcp-gitops/update-demo');
    assert.equal(demo.targetBranch, 'main');
    assert.equal(demo.title, 'Update demo to 1.1.0');
    assert.deepEqual(demo.labels, ['dependencies']);
    assert.match(demo.description, /^<!-- mcp-gitops:update name=demo versions=demo@1\.1\.0 -->/);
    assert.match(
      demo.description,
      /`dev\/laptop` · `demo`\n {2}- `package\.version`: `"1\.0\.0"` → `"1\.1\.0"`/,
    );
    assert.match(demo.description, /tools: 1 changed, 1 added/);
    assert.match(demo.description, /reverse/);
    assert.equal(edge.title, 'Update edge to 2.0.0');
    assert.match(edge.description, /`echo`: `readOnlyHint: true → false`/);
    // The project by its URL-encoded path; the token only in PRIVATE-TOKEN.
    for (const r of api.requests) {
      assert.match(r.path, /^\/api\/v4\/projects\/acme%2Fconfig\/merge_requests(\/\d+)?(\?|$)/, r.path);
      assert.equal(r.privateToken, TOKEN);
      assert.equal(r.authorization, undefined);
    }
    assert.deepEqual(
      api.requests
        .filter((r) => r.method === 'GET')
        .map((r) => new URL(r.path, 'http://x').searchParams.get('state')),
      ['all', 'all'],
    );

    // Rerun: only reads, no push.
    const writes = api.writes().length;
    const refs = remoteText('single');
    const second = await run(repo);
    assert.deepEqual(
      second.map((o) => [o.action, o.number]),
      [
        ['unchanged', 1],
        ['unchanged', 2],
      ],
    );
    assert.equal(api.writes().length, writes, 'a rerun changed something on the forge');
    assert.equal(remoteText('single'), refs, 'a rerun pushed');

    // Closed by a person: never reopened or recreated for that version.
    api.closeMergeRequest(1);
    const third = await run(repo);
    assert.deepEqual(
      third.map((o) => [o.action, o.number]),
      [
        ['closed-before', 1],
        ['unchanged', 2],
      ],
    );
    assert.equal(api.writes().length, writes);
    assert.equal(api.mergeRequests.size, 2);
    assert.equal(api.mergeRequests.get(1)?.state, 'closed');
    assert.match(formatOutcome(third[0]!), /^closed-before/);

    // A newer 1.x release: the closed MR stays closed, a new MR opens for 1.2.0 on the same branch.
    const tools = JSON.parse(fs.readFileSync(path.join(DEMO_SERVER_DIR, 'versions.json'), 'utf8')) as Record<
      string,
      unknown[]
    >;
    await fx.registry.publish(await writeDemoServerTarball(fx.registry.storage, '1.2.0', tools['1.1.0']), {
      tag: 'one-x',
    });
    const fourth = await run(repo);
    assert.deepEqual(
      fourth.map((o) => [o.action, o.number, o.versions]),
      [
        ['opened', 3, ['demo@1.2.0']],
        ['unchanged', 2, ['edge@2.0.0']],
      ],
      JSON.stringify(fourth),
    );
    assert.equal(api.mergeRequests.get(1)?.state, 'closed');
    assert.equal(api.mergeRequests.get(3)?.title, 'Update demo to 1.2.0');
    assert.match(git('show', 'mcp-gitops/update-demo:servers/demo.yaml'), /version: "1\.2\.0" # keep quoted/);
    assert.deepEqual(
      api.writes().map((r) => `${r.method} ${r.path}`),
      [
        'POST /api/v4/projects/acme%2Fconfig/merge_requests',
        'POST /api/v4/projects/acme%2Fconfig/merge_requests',
        'POST /api/v4/projects/acme%2Fconfig/merge_requests',
      ],
    );
    assert.equal(userState(repo), before, "the user's work tree and index changed");

    const everything = [
      remoteText('single'),
      JSON.stringify([...api.mergeRequests.values()]),
      JSON.stringify(api.requests.map((r) => ({ ...r, privateToken: undefined }))),
      [...first, ...second, ...third, ...fourth].map((o) => formatOutcome(o)).join('\n'),
    ].join('\n');
    assertNoCanary(everything, 'branches, commits, MRs or output');
  });

  test('an open MR with older versions gets the new commit, title and description (PUT), labels kept', async () => {
    const api = await startGitLabMergeRequestsApi();
    fx.closeAfter(() => api.close());
    const repo = await configRepo(
      'group',
      api.url,
      '{ allow: major, group: stack }',
      '{ allow: patch, group: stack }',
    );
    const first = await run(repo);
    assert.deepEqual(
      first.map((o) => [o.action, o.branch, o.versions]),
      [['opened', 'mcp-gitops/update-stack', ['demo@2.0.0']]],
      JSON.stringify(first),
    );
    // The merge request now says it proposes an older version than the report does.
    const mr = api.mergeRequests.get(1);
    assert.ok(mr);
    mr.description = mr.description.replace('versions=demo@2.0.0', 'versions=demo@1.1.0');
    const second = await run(repo);
    assert.deepEqual(
      second.map((o) => [o.action, o.number, o.url]),
      [['updated', 1, 'https://gitlab.example/acme/config/-/merge_requests/1']],
      JSON.stringify(second),
    );
    assert.match(api.mergeRequests.get(1)?.description ?? '', /versions=demo@2\.0\.0 -->/);
    assert.deepEqual(api.mergeRequests.get(1)?.labels, ['dependencies']);
    const put = api.writes().at(-1);
    assert.equal(`${put?.method} ${put?.path}`, 'PUT /api/v4/projects/acme%2Fconfig/merge_requests/1');
    assert.deepEqual(Object.keys(put?.body ?? {}).sort(), ['description', 'title']);
    assertNoCanary(
      `${remoteText('group')}\n${JSON.stringify([...api.mergeRequests.values()])}`,
      'the group MR',
    );
  });

  test("a fork's merge requests on a same-named branch are neither taken as ours nor changed", async () => {
    const api = await startGitLabMergeRequestsApi();
    fx.closeAfter(() => api.close());
    const repo = await configRepo('forks', api.url, '{ allow: minor }', '{ allow: major }');
    // Someone else's MRs from their fork, copying our branch names and marker.
    const closed = api.addForkMergeRequest({
      sourceBranch: 'mcp-gitops/update-demo',
      title: 'Update demo to 1.1.0',
      description: '<!-- mcp-gitops:update name=demo versions=demo@1.1.0 -->\nnot ours',
      state: 'closed',
    });
    const open = api.addForkMergeRequest({
      sourceBranch: 'mcp-gitops/update-edge',
      title: 'Update edge',
      description: '<!-- mcp-gitops:update name=edge versions=edge@1.1.0 -->\nnot ours',
      state: 'opened',
    });
    const outcomes = await run(repo);
    assert.deepEqual(
      outcomes.map((o) => [o.action, o.name, o.number]),
      [
        ['opened', 'demo', 3],
        ['opened', 'edge', 4],
      ],
      JSON.stringify(outcomes),
    );
    assert.deepEqual(
      api.writes().map((r) => `${r.method} ${r.path}`),
      [
        'POST /api/v4/projects/acme%2Fconfig/merge_requests',
        'POST /api/v4/projects/acme%2Fconfig/merge_requests',
      ],
    );
    assert.equal(api.mergeRequests.get(closed.iid)?.state, 'closed');
    assert.equal(api.mergeRequests.get(open.iid)?.title, 'Update edge');
    assert.match(api.mergeRequests.get(open.iid)?.description ?? '', /not ours$/);
    // Rerun: our own MRs are found and left alone.
    const writes = api.writes().length;
    const again = await run(repo);
    assert.deepEqual(
      again.map((o) => [o.action, o.number]),
      [
        ['unchanged', 3],
        ['unchanged', 4],
      ],
    );
    assert.equal(api.writes().length, writes);
  });
});
