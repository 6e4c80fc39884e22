/**
 * `serve --updates-interval --updates-open-prs` through the real CLI, all real: the demo MCP
 * server's versions `npm publish`ed to verdaccio on loopback, the config on a real HTTP git remote,
 * and a recording GitHub REST API on loopback. The scheduled run opens one pull request for the
 * update its policy allows (its branch pushed to the remote), and the outcome reaches the status
 * page (the PR's link and state), `/metrics` (pull requests by action, clean under the real
 * `promtool`) and the run's log line; the GitHub token appears in none of them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type GitHubPullsApi, startGitHubPullsApi } from '../helpers/github-api.js';
import { DEMO_SERVER_NAME, DEMO_SERVER_VERSIONS, writeDemoServerTarball } from '../helpers/npm-tarball.js';
import { requireTools } from '../helpers/require-tools.js';
import { startVerdaccio, type Verdaccio } from '../helpers/verdaccio.js';
import { promtoolCheckMetrics, seriesOf } from '../metrics/promtool.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { type ServeProcess, sleep, startServeProcess } from './serve-process.js';

requireTools('promtool');

const TOKEN = 'ghp_cAnArYtOkEn-u5-serve-3c9d1e';
let registry: Verdaccio;
let remote: ConfigRemote;
let api: GitHubPullsApi;
let serve: ServeProcess | undefined;
const saved = { ...process.env };

before(async () => {
  registry = await startVerdaccio();
  for (const version of DEMO_SERVER_VERSIONS)
    await registry.publish(await writeDemoServerTarball(registry.storage, version));
  api = await startGitHubPullsApi();
  remote = await createConfigRemote();
  remote.pusher.write(
    'mcp-gitops.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: remote\nspec:\n  branch: main\n  updates:\n    registries:\n      npm: { url: "${registry.url}" }\n    pullRequests:\n      github:\n        repository: acme/config\n        apiUrl: "${api.url}"\n        token: { ref: env:GITHUB_TOKEN }\n`,
  );
  remote.pusher.write(
    'servers/demo.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: demo\nspec:\n  package:\n    registryType: npm\n    identifier: ${DEMO_SERVER_NAME}\n    version: "1.0.0"\n  transport: stdio\n`,
  );
  // Suspended: the server is checked for updates, never started by the reconciles.
  remote.pusher.write(
    'environments/staging.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: staging\nspec:\n  sync:\n    suspend: true\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: ${remote.home}\n  servers:\n    - name: demo\n`,
  );
  await remote.pusher.commitAndPush('demo server pinned at 1.0.0, updates through pull requests');
  // serve's environment: the token its config names, and npx's registry for the verification.
  process.env.GITHUB_TOKEN = TOKEN;
  process.env.npm_config_registry = registry.url;
  process.env.npm_config_update_notifier = 'false';
});

after(async () => {
  await serve?.stop();
  process.env = saved;
  await api?.close();
  await registry?.stop();
  await remote?.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const text = (url: string) => fetch(url, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text());

test('a scheduled run opens the pull request; the page, /metrics and the log show it, never the token', async () => {
  serve = await startServeProcess(remote, 'prs', {
    args: ['--interval', '0', '--updates-interval', '1h', '--updates-open-prs'],
  });
  const metrics = await until(
    'the opened PR in /metrics',
    async () => {
      const m = await text(`${serve?.url}/metrics`);
      return seriesOf(m, 'mcp_gitops_update_pull_requests_total').includes('{action=opened} 1')
        ? m
        : undefined;
    },
    240_000,
  );
  const lint = promtoolCheckMetrics(metrics);
  assert.equal(lint.code, 0, lint.output);
  assert.deepEqual(seriesOf(metrics, 'mcp_gitops_updates_pending'), ['{server=demo} 1']);

  assert.equal(api.pulls.size, 1);
  const [pr] = [...api.pulls.values()];
  assert.ok(pr);
  assert.equal(pr.state, 'open');
  assert.match(pr.body, /1\.1\.0/);
  const branches = remote.remoteGit('for-each-ref', '--format=%(refname)', 'refs/heads/');
  assert.ok(branches.includes(`refs/heads/${pr.head}`), `${pr.head} pushed: ${branches}`);

  const page = await text(`${serve.url}/`);
  const row = /<tr data-testid="update-demo-staging">.*?<\/tr>/s.exec(page)?.[0] ?? '';
  assert.match(
    row,
    new RegExp(`href="https://github\\.example/acme/config/pull/${pr.number}"[^>]*>#${pr.number}</a>`),
  );
  assert.match(row, /b-opened/);

  const line = serve.lines.find((l) => l.msg === 'updates checked');
  assert.deepEqual(line?.pullRequests, { opened: 1 });
  const seen = JSON.stringify(serve.lines) + page + metrics + branches;
  assert.ok(!seen.includes(TOKEN), 'the GitHub token leaked');
  assert.ok(
    api.requests.every((r) => r.authorization?.includes(TOKEN)),
    'the API got the token',
  );
});
