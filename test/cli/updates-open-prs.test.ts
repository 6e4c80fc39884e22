/**
 * The real CLI: `mcp-gitops updates --open-prs [--dry-run]` on a config repo pinned at the demo
 * server's 1.0.0, with verdaccio (real npm registry), a real HTTP git remote and the recording
 * GitHub API on loopback. --dry-run prints what would be opened and asks the forge nothing; the
 * real run prints one line per change with the PR's URL; a server whose schedule does not match
 * now is outside-schedule; the rerun prints unchanged; the token and a canary secret never print.
 * The git remote wants a token, as GitHub does: update branches are pushed with MCP_GITOPS_GIT_TOKEN.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { readLastReport, updatesCacheDir } from '../../src/updates/last-report.js';
import { cliRunner } from '../helpers/cli.js';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.js';
import { type GitHubPullsApi, startGitHubPullsApi } from '../helpers/github-api.js';
import { DEMO_SERVER_NAME, DEMO_SERVER_VERSIONS, writeDemoServerTarball } from '../helpers/npm-tarball.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { startVerdaccio, type Verdaccio } from '../helpers/verdaccio.js';

const exec = promisify(execFile);
const TOKEN = 'ghp_cAnArYcLi-u4-0d9e8f7a';
const SECRET = 'cAnArY-cLi-sEcReT-u4-3c2b';
const GIT_TOKEN = 'cAnArY-gIt-ToKeN-9f8e7d';
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-open-prs-cli-'));
let registry: Verdaccio;
let gitServer: GitHttpServer;
let api: GitHubPullsApi;
let repo: TempRepo;

function server(name: string, updates: string): string {
  return `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: ${name} }
spec:
  package: { registryType: npm, identifier: ${DEMO_SERVER_NAME}, version: "1.0.0" }
  transport: stdio
  secrets: [{ name: API_TOKEN, ref: env:DEMO_CANARY }]
  updates: ${updates}
`;
}

before(async () => {
  registry = await startVerdaccio();
  for (const v of DEMO_SERVER_VERSIONS)
    await registry.publish(await writeDemoServerTarball(registry.storage, v));
  fs.mkdirSync(path.join(temp, 'remotes'));
  gitServer = await startGitHttpServer(path.join(temp, 'remotes'), { token: GIT_TOKEN });
  api = await startGitHubPullsApi();
  repo = createTempRepo('mcp-gitops-open-prs-cli-repo-');
  repo.write(
    'mcp-gitops.yaml',
    `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: cli-test }
spec:
  branch: main
  updates:
    registries: { npm: { url: "${registry.url}" } }
    pullRequests:
      github: { repository: acme/config, apiUrl: "${api.url}", token: { ref: env:GITHUB_TOKEN } }
`,
  );
  repo.write('servers/demo.yaml', server('demo', '{ allow: minor }'));
  // January 1st, 03:00 UTC only.
  repo.write('servers/later.yaml', server('later', '{ allow: minor, schedule: "0 3 1 1 *" }'));
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets: [{ name: laptop, provider: client-config, host: local, clients: [claude-code] }]
  servers: [{ name: demo }, { name: later }]
`,
  );
  repo.commitAll('config');
  const bare = path.join(temp, 'remotes', 'config.git');
  await exec('git', ['init', '-q', '--bare', bare]);
  await exec('git', ['-C', bare, 'config', 'http.receivepack', 'true']);
  repo.git('remote', 'add', 'origin', `${gitServer.url}/config.git`);
  const basic = Buffer.from(`x:${GIT_TOKEN}`).toString('base64');
  await exec('git', [
    '-C',
    repo.dir,
    '-c',
    `http.extraHeader=Authorization: Basic ${basic}`,
    'push',
    '-q',
    'origin',
    'main',
  ]);
});

after(async () => {
  await api?.close();
  await gitServer?.close();
  await registry?.stop();
  repo?.cleanup();
  fs.rmSync(temp, { recursive: true, force: true });
});

test('updates --open-prs: dry run, open, rerun unchanged, one line per change', async () => {
  const home = path.join(temp, 'home');
  fs.mkdirSync(home);
  const state = path.join(temp, 'state');
  const cli = cliRunner({
    HOME: home,
    MCP_GITOPS_HOME: home,
    MCP_GITOPS_STATE_DIR: state,
    GITHUB_TOKEN: TOKEN,
    DEMO_CANARY: SECRET,
    MCP_GITOPS_GIT_TOKEN: GIT_TOKEN,
  });

  const dry = await cli.run(['--repo', repo.dir, 'updates', '--open-prs', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    /^would open or update {2}mcp-gitops\/update-demo {2}demo@1\.1\.0 {2}\(dry run: "Update demo to 1\.1\.0"\)$/m,
  );
  assert.match(
    dry.stdout,
    /^outside-schedule {2}mcp-gitops\/update-later {2}later@1\.1\.0 {2}\(schedule "0 3 1 1 \*" does not match now \(UTC\)\)$/m,
  );
  assert.equal(api.requests.length, 0);

  const real = await cli.run(['--repo', repo.dir, 'updates', '--open-prs']);
  assert.equal(real.code, 0, real.stderr);
  assert.match(
    real.stdout,
    /^opened +mcp-gitops\/update-demo {2}demo@1\.1\.0 {2}https:\/\/github\.example\/acme\/config\/pull\/1$/m,
  );
  assert.match(real.stdout, /^outside-schedule /m);
  assert.equal(api.pulls.size, 1);

  const again = await cli.run(['--repo', repo.dir, 'updates', '--open-prs']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stdout,
    /^unchanged +mcp-gitops\/update-demo {2}demo@1\.1\.0 {2}https:\/\/github\.example\/acme\/config\/pull\/1$/m,
  );
  assert.equal(api.writes().length, 1);
  // The run is saved for the status page with what was done to each pull request.
  const saved = await readLastReport(updatesCacheDir(state, repo.dir));
  assert.deepEqual(
    saved.last?.outcomes?.map((o) => [o.name, o.action, o.url]),
    [
      ['demo', 'unchanged', 'https://github.example/acme/config/pull/1'],
      ['later', 'outside-schedule', undefined],
    ],
  );

  const all = cli.transcript.join('\n');
  assert.equal(all.includes(TOKEN), false, 'the token was printed');
  assert.equal(all.includes(SECRET), false, 'the canary secret was printed');
  assert.equal(all.includes(GIT_TOKEN), false, 'the git token was printed');
});
