/**
 * What the `--open-prs` end-to-end tests share, whichever forge they record: the demo MCP
 * server's three versions published with `npm publish` to a real verdaccio, the reviewed lock of
 * 1.0.0 from a real verification of the real package, a real HTTP git remote, and config repos
 * pinned at 1.0.0 (with a work-tree edit and a staged file of the user's) pushed to it. The forge
 * block of the Repository (`github:` or `gitlab:`), its token variable and the canaries are the
 * test's own. Registers its own before/after hooks.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { stdioLaunch } from '../../../src/clients/build-entry.js';
import { renderLock } from '../../../src/surface/lock/index.js';
import { findUpdates } from '../../../src/updates/find-updates.js';
import { openUpdatePullRequests } from '../../../src/updates/pull-requests/open-update-prs.js';
import type { PullRequestOutcome } from '../../../src/updates/types.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { type GitHttpServer, startGitHttpServer } from '../../helpers/git-http-server.js';
import { DEMO_SERVER_NAME, DEMO_SERVER_VERSIONS, writeDemoServerTarball } from '../../helpers/npm-tarball.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { startVerdaccio, type Verdaccio } from '../../helpers/verdaccio.js';

export interface ForgeFixtureOptions {
  /** Names temp dirs and repos (`open-prs`, `open-mrs`). */
  label: string;
  /** The forge and its token, e.g. `{ GITHUB_TOKEN: TOKEN }`. */
  tokenEnv: Record<string, string>;
  /** The canary secret the servers' `secrets` reference (env DEMO_CANARY). */
  secret: string;
  /** The lines under `pullRequests:` that name the forge (indented 6 spaces). */
  forgeYaml(apiUrl: string): string;
  /** Called when the token or the secret is found: names the forge in the message. */
  forgeName: string;
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

export function serverYaml(name: string, updates: string): string {
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

const execAsync = promisify(execFile);

export function forgeFixture(options: ForgeFixtureOptions) {
  let registry: Verdaccio | undefined;
  let gitServer: GitHttpServer | undefined;
  let lock100 = '';
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), `mcp-gitops-${options.label}-`));
  const remotes = path.join(temp, 'remotes');
  const repos: TempRepo[] = [];
  const closers: (() => Promise<void>)[] = [];
  const env = { ...options.tokenEnv, DEMO_CANARY: options.secret, PATH: process.env.PATH };

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
    for (const close of closers) await close();
    await gitServer?.close();
    await registry?.stop();
    for (const repo of repos) repo.cleanup();
    fs.rmSync(temp, { recursive: true, force: true });
  });

  const repositoryYaml = (apiUrl: string) => `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: ${options.label}-test }
spec:
  branch: main
  commit:
    author: { name: Update Bot, email: bot@example.com }
  updates:
    registries:
      npm: { url: "${registry?.url}" }
    pullRequests:
      labels: [dependencies]
${options.forgeYaml(apiUrl)}`;

  return {
    temp,
    remotes,
    env,
    get registry(): Verdaccio {
      assert.ok(registry, 'the fixture has not started');
      return registry;
    },
    /** Closed after the tests (a recording forge API). */
    closeAfter(close: () => Promise<void>): void {
      closers.push(close);
    },

    /** A config repo with a work tree change and a staged change of the user's, pushed to its own remote. */
    async configRepo(name: string, apiUrl: string, demo: string, edge: string): Promise<TempRepo> {
      assert.ok(gitServer);
      const repo = createTempRepo(`mcp-gitops-${options.label}-${name}-`);
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
    },

    async run(repo: TempRepo): Promise<PullRequestOutcome[]> {
      const report = await findUpdates({ dir: repo.dir, env, homeDir: path.join(temp, 'no-home') });
      return openUpdatePullRequests({ dir: repo.dir, report, env, verifyPerServerMs: 90_000 });
    },

    userState(repo: TempRepo): string {
      return [
        repo.git('status', '--porcelain'),
        repo.git('diff'),
        repo.git('diff', '--cached'),
        repo.git('rev-parse', 'HEAD'),
        fs.readFileSync(path.join(repo.dir, '.git', 'index')).toString('base64'),
      ].join('\n---\n');
    },

    remoteText(name: string): string {
      const bare = path.join(remotes, `${name}.git`);
      const git = (...args: string[]) => execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' });
      const refs = git('for-each-ref', '--format=%(refname)');
      const log = git('log', '--all', '-p', '--format=%H%n%an <%ae>%n%B');
      return `${refs}\n${log}`;
    },

    assertNoCanary(text: string, where: string): void {
      for (const token of Object.values(options.tokenEnv))
        assert.equal(text.includes(token), false, `the ${options.forgeName} token is in ${where}`);
      assert.equal(text.includes(options.secret), false, `the canary secret is in ${where}`);
    },
  };
}
