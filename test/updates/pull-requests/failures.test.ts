/**
 * `openUpdatePullRequests` when things go wrong, on a real git repo and HTTP git remote with the
 * recording GitHub API (reports constructed as input data, scratch verification off): a change
 * whose pin cannot be bumped fails alone while the next one opens; a forge that answers 404 fails
 * every change with the method, path and status only; a token that cannot be resolved says which
 * reference; none of it prints the token.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { formatOutcome } from '../../../src/cli/commands/updates-open-prs.js';
import { openUpdatePullRequests } from '../../../src/updates/pull-requests/open-update-prs.js';
import type { ServerUpdates } from '../../../src/updates/types.js';
import { type GitHttpServer, startGitHttpServer } from '../../helpers/git-http-server.js';
import { type GitHubPullsApi, startGitHubPullsApi } from '../../helpers/github-api.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';

const exec = promisify(execFile);
const TOKEN = 'ghp_cAnArYfAiL-u4-9a8b7c';
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-open-prs-fail-'));
let gitServer: GitHttpServer;
let api: GitHubPullsApi;
const repos: TempRepo[] = [];

before(async () => {
  fs.mkdirSync(path.join(temp, 'remotes'));
  gitServer = await startGitHttpServer(path.join(temp, 'remotes'));
  api = await startGitHubPullsApi();
});
after(async () => {
  await api?.close();
  await gitServer?.close();
  for (const r of repos) r.cleanup();
  fs.rmSync(temp, { recursive: true, force: true });
});

const server = (name: string) => `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: ${name} }
spec:
  transport: stdio
  package:
    registryType: npm
    identifier: ${name}-pkg
    version: "1.0.0"
`;

async function configRepo(name: string, apiUrl: string, labels = '[]'): Promise<TempRepo> {
  const repo = createTempRepo(`mcp-gitops-open-prs-fail-${name}-`);
  repos.push(repo);
  repo.write(
    'mcp-gitops.yaml',
    `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: fail-test }
spec:
  branch: main
  updates:
    pullRequests:
      labels: ${labels}
      github: { repository: acme/config, apiUrl: "${apiUrl}", token: { ref: env:GITHUB_TOKEN } }
`,
  );
  repo.write('servers/alpha.yaml', server('alpha'));
  repo.write('servers/beta.yaml', server('beta'));
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets: [{ name: laptop, provider: client-config, host: local, clients: [claude-code] }]
  servers: [{ name: alpha }, { name: beta }]
`,
  );
  repo.commitAll('config');
  const bare = path.join(temp, 'remotes', `${name}.git`);
  await exec('git', ['init', '-q', '--bare', bare]);
  await exec('git', ['-C', bare, 'config', 'http.receivepack', 'true']);
  repo.git('remote', 'add', 'origin', `${gitServer.url}/${name}.git`);
  await exec('git', ['-C', repo.dir, 'push', '-q', 'origin', 'main']);
  return repo;
}

function update(server: string, line: number): ServerUpdates {
  return {
    server,
    environments: ['dev'],
    targets: ['dev/laptop'],
    kind: 'npm',
    identifier: `${server}-pkg`,
    current: '1.0.0',
    location: { file: `servers/${server}.yaml`, line, path: ['spec', 'package', 'version'] },
    policy: { allow: 'minor', ignore: [], minimumReleaseAgeMs: 0, prereleases: false, requireDigest: false },
    allowed: [{ version: '1.1.0' }],
    held: [],
    proposed: { version: '1.1.0', pin: '1.1.0' },
  };
}

test('one failing change does not stop the next', async () => {
  const repo = await configRepo('partial', api.url);
  const outcomes = await openUpdatePullRequests({
    dir: repo.dir,
    // alpha's version is on line 9, not 8: the file is not what the report saw.
    report: { servers: [update('alpha', 8), update('beta', 9)] },
    env: { GITHUB_TOKEN: TOKEN },
    verify: false,
  });
  assert.deepEqual(
    outcomes.map((o) => [o.name, o.action]),
    [
      ['alpha', 'failed'],
      ['beta', 'opened'],
    ],
    JSON.stringify(outcomes),
  );
  assert.match(outcomes[0]?.detail ?? '', /^servers\/alpha\.yaml:8: cannot bump the version here/);
  const body = api.pulls.get(1)?.body ?? '';
  assert.match(body, /No scratch verification was run/);
  assert.match(body, /`package\.version`: `"1\.0\.0"` → `"1\.1\.0"`/);
  const shown = await exec('git', [
    '-C',
    path.join(temp, 'remotes', 'partial.git'),
    'show',
    'mcp-gitops/update-beta:servers/beta.yaml',
  ]);
  assert.match(shown.stdout, /version: "1\.1\.0"/);
});

test('forge errors name method, path and status only; an unresolvable token names its reference', async () => {
  const repo = await configRepo('forge', `${api.url}/wrong`);
  const report = { servers: [update('alpha', 9), update('beta', 9)] };
  const outcomes = await openUpdatePullRequests({
    dir: repo.dir,
    report,
    env: { GITHUB_TOKEN: TOKEN },
    verify: false,
  });
  assert.deepEqual(
    outcomes.map((o) => [o.action, o.detail]),
    [
      ['failed', 'GitHub API GET /wrong/repos/acme/config/pulls: answered 404'],
      ['failed', 'GitHub API GET /wrong/repos/acme/config/pulls: answered 404'],
    ],
  );
  const noToken = await openUpdatePullRequests({ dir: repo.dir, report, env: {}, verify: false });
  assert.deepEqual(
    noToken.map((o) => o.action),
    ['failed', 'failed'],
  );
  assert.match(noToken[0]?.detail ?? '', /env:GITHUB_TOKEN.*GITHUB_TOKEN is not set/);
  const printed = [...outcomes, ...noToken].map((o) => formatOutcome(o)).join('\n');
  assert.equal(printed.includes(TOKEN), false);
  assert.equal(printed.includes('Not Found'), false, 'the reply text was printed');
  const refs = await exec('git', [
    '-C',
    path.join(temp, 'remotes', 'forge.git'),
    'for-each-ref',
    '--format=%(refname)',
  ]);
  assert.equal(
    refs.stdout.trim(),
    'refs/heads/main',
    'a branch was pushed although the forge could not be asked',
  );
});

test('labels that cannot be added leave the PR opened, with a warning; the rerun finds it', async () => {
  const strict = await startGitHubPullsApi({ refuseLabels: true });
  try {
    const repo = await configRepo('labels', strict.url, '[dependencies]');
    const report = { servers: [update('beta', 9)] };
    const first = await openUpdatePullRequests({
      dir: repo.dir,
      report,
      env: { GITHUB_TOKEN: TOKEN },
      verify: false,
    });
    assert.deepEqual(
      first.map((o) => [o.action, o.number, o.detail]),
      [['opened', 1, 'labels not added: GitHub API POST /repos/acme/config/issues/1/labels: answered 403']],
    );
    const again = await openUpdatePullRequests({
      dir: repo.dir,
      report,
      env: { GITHUB_TOKEN: TOKEN },
      verify: false,
    });
    assert.deepEqual(
      again.map((o) => [o.action, o.number]),
      [['unchanged', 1]],
    );
    assert.equal(strict.pulls.size, 1);
  } finally {
    await strict.close();
  }
});
