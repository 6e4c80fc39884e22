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
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { formatOutcome } from '../../../src/cli/commands/updates-open-prs.js';
import { stdioLaunch } from '../../../src/clients/build-entry.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { renderLock } from '../../../src/surface/lock/index.js';
import { findUpdates } from '../../../src/updates/find-updates.js';
import { openUpdatePullRequests } from '../../../src/updates/pull-requests/open-update-prs.js';
import type { PullRequestOutcome } from '../../../src/updates/types.js';
import { validateConfig } from '../../../src/validate/validate-config.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { type GitHttpServer, startGitHttpServer } from '../../helpers/git-http-server.js';
import { type GitLabMergeRequestsApi, startGitLabMergeRequestsApi } from '../../helpers/gitlab-api.js';
import {
  DEMO_SERVER_DIR,
  DEMO_SERVER_NAME,
  DEMO_SERVER_VERSIONS,
  writeDemoServerTarball,
} from '../../helpers/npm-tarball.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { startVerdaccio, type Verdaccio } from '../../helpers/verdaccio.js';

const TOKEN = 'glpat-cAnArYtOkEn-uc-8d31f0';
const SECRET = 'cAnArY-sEcReT-uc-4a92e7';
let registry: Verdaccio;
let gitServer: GitHttpServer;
let lock100: string;
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-open-mrs-'));
const remotes = path.join(temp, 'remotes');
const repos: TempRepo[] = [];
const apis: GitLabMergeRequestsApi[] = [];

before(async () => {
  registry = await startVerdaccio();
  for (const version of DEMO_SERVER_VERSIONS) {
    await registry.publish(await writeDemoServerTarball(registry.storage, version));
  }
  fs.mkdirSync(remotes);
  gitServer = await startGitHttpServer(remotes);
  // The reviewed lock of 1.0.0, as `tools lock` writes it: the real surface of the real package.
  const home = path.join(temp, 'lock-home');
  fs.mkdirSync(home);
  const launch = stdioLaunch({
    package: { registryType: 'npm', identifier: DEMO_SERVER_NAME, version: '1.0.0' },
  } as Parameters<typeof stdioLaunch>[0]);
  assert.ok(launch);
  const result = await verifyServer(
    {
      kind: 'stdio',
      command: launch.command,
      args: launch.args,
      env: { npm_config_registry: registry.url, npm_config_update_notifier: 'false', HOME: home },
      cwd: home,
    },
    { timeoutMs: 90_000 },
  );
  assert.ok(result.surface, result.error);
  lock100 = renderLock('demo', '1.0.0', result.surface);
});

after(async () => {
  for (const api of apis) await api.close();
  await gitServer?.close();
  await registry?.stop();
  for (const repo of repos) repo.cleanup();
  fs.rmSync(temp, { recursive: true, force: true });
});

function repositoryYaml(apiUrl: string, extra = ''): string {
  return `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: open-mrs-test }
spec:
  branch: main
  commit:
    author: { name: Update Bot, email: bot@example.com }
  updates:
    registries:
      npm: { url: "${registry.url}" }
    pullRequests:
      labels: [dependencies]
      gitlab:
        project: acme/config
        apiUrl: "${apiUrl}"
        token: { ref: env:GITLAB_TOKEN }
${extra}`;
}

function serverYaml(name: string, updates: string): string {
  return `# ${name}: the demo server, reviewed at 1.0.0
apiVersion: mcp-gitops/v1
kind: Server
metadata:
  name: ${name}
spec:
  package:
    registryType: npm
    identifier: ${DEMO_SERVER_NAME}
    version: "1.0.0" # keep quoted
  transport: stdio
  secrets:
    - name: API_TOKEN
      ref: env:DEMO_CANARY
  updates: ${updates}
`;
}

const ENVIRONMENT = `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets:
    - name: laptop
      provider: client-config
      host: local
      clients: [claude-code]
  servers:
    - name: demo
    - name: edge
`;

const execAsync = promisify(execFile);

/** A config repo with a work tree change and a staged change of the user's, pushed to its own remote. */
async function configRepo(name: string, apiUrl: string, demo: string, edge: string): Promise<TempRepo> {
  const repo = createTempRepo(`mcp-gitops-open-mrs-${name}-`);
  repos.push(repo);
  repo.write('mcp-gitops.yaml', repositoryYaml(apiUrl));
  repo.write('servers/demo.yaml', serverYaml('demo', demo));
  repo.write('servers/edge.yaml', serverYaml('edge', edge));
  repo.write('environments/dev.yaml', ENVIRONMENT);
  repo.write('tool-locks/demo/1.0.0.yaml', lock100);
  repo.write(
    'tool-locks/edge/1.0.0.yaml',
    lock100.replaceAll('demo-1-0-0', 'edge-1-0-0').replace('server: demo', 'server: edge'),
  );
  repo.commitAll('config');
  execFileSync('git', ['init', '-q', '--bare', path.join(remotes, `${name}.git`)]);
  execFileSync('git', ['-C', path.join(remotes, `${name}.git`), 'config', 'http.receivepack', 'true']);
  repo.git('remote', 'add', 'origin', `${gitServer.url}/${name}.git`);
  // Not execFileSync: the git HTTP server answers from this process's event loop.
  await execAsync('git', ['-C', repo.dir, 'push', '-q', 'origin', 'main']);
  repo.write('notes.txt', 'work in progress\n');
  repo.write('servers/demo.yaml', `${serverYaml('demo', demo)}# an unstaged edit\n`);
  repo.write('staged.txt', 'staged\n');
  repo.git('add', 'staged.txt');
  return repo;
}

const ENV = { GITLAB_TOKEN: TOKEN, DEMO_CANARY: SECRET, PATH: process.env.PATH };

async function run(repo: TempRepo): Promise<PullRequestOutcome[]> {
  const report = await findUpdates({ dir: repo.dir, env: ENV, homeDir: path.join(temp, 'no-home') });
  return openUpdatePullRequests({ dir: repo.dir, report, env: ENV, verifyPerServerMs: 90_000 });
}

function userState(repo: TempRepo): string {
  return [
    repo.git('status', '--porcelain'),
    repo.git('diff'),
    repo.git('diff', '--cached'),
    repo.git('rev-parse', 'HEAD'),
    fs.readFileSync(path.join(repo.dir, '.git', 'index')).toString('base64'),
  ].join('\n---\n');
}

function remoteText(name: string): string {
  const bare = path.join(remotes, `${name}.git`);
  const git = (...args: string[]) => execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' });
  const refs = git('for-each-ref', '--format=%(refname)');
  const log = git('log', '--all', '-p', '--format=%H%n%an <%ae>%n%B');
  return `${refs}\n${log}`;
}

function assertNoCanary(text: string, where: string): void {
  assert.equal(text.includes(TOKEN), false, `the GitLab token is in ${where}`);
  assert.equal(text.includes(SECRET), false, `the canary secret is in ${where}`);
}

describe('updates --open-prs against real git, npm and a recording GitLab API', () => {
  test('one MR per allowed update with the tool diff; rerun writes nothing; a closed MR stays closed; a newer release updates the open MR', async () => {
    const api = await startGitLabMergeRequestsApi();
    apis.push(api);
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
    const bare = path.join(remotes, 'single.git');
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
    await registry.publish(await writeDemoServerTarball(registry.storage, '1.2.0', tools['1.1.0']), {
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
    apis.push(api);
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
    apis.push(api);
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
