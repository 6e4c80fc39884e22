/**
 * The container image end to end (docs/container-image.md): scripts/build-image.mjs builds it
 * offline (reused while the content hash of its inputs is unchanged), then the real image runs
 * `--version`, `validate` on a config repo mounted read-only, and `serve` in its own network
 * namespace, published on loopback, against a config repo on the real HTTP git server (on the
 * podman bridge's gateway, so the container reaches it): /healthz answers, and the startup
 * reconcile verified a stdio MCP server inside the container and pushed its report and tag.
 * The git token and webhook secret are canaries that must never reach the logs.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.js';
import { serverBin, waitFor } from '../helpers/mcp-servers.js';
import { containersConf, podman, removeContainersWithLabel, uncommonPort } from '../helpers/podman.js';
import { createTempRepo, repoFromDir } from '../helpers/temp-repo.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const IMAGE = 'localhost/mcp-gitops-test-image:latest';
const LABEL = 'io.mcp-gitops.test=container-image';
/** The project's node_modules, mounted read-only so the container can run server-memory. */
const MODULES = path.join(ROOT, 'node_modules');
const MEMORY_IN_CONTAINER = path.posix.join(
  '/opt/test/node_modules',
  path.relative(MODULES, serverBin('memory')).split(path.sep).join('/'),
);
const GIT_TOKEN = `canary-git-${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `canary-hook-${randomBytes(12).toString('hex')}`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-image-e2e-'));

/** `podman run --rm IMAGE ...args`: exit code and output, never a rejection. */
async function runImage(args: string[], options: string[] = []) {
  try {
    const { stdout, stderr } = await run(
      'podman',
      ['run', '--rm', '--label', LABEL, ...options, IMAGE, ...args],
      {
        env: { ...process.env, CONTAINERS_CONF: containersConf() },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function get(url: string): Promise<{ status: number; body: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, body: await res.text() };
  } catch {
    return undefined;
  }
}

describe('the container image', { timeout: 600_000 }, () => {
  before(async () => {
    await removeContainersWithLabel(LABEL);
    // Built once; later runs find the image labelled with the same inputs and reuse it.
    await run(process.execPath, [path.join(ROOT, 'scripts/build-image.mjs'), '--tag', IMAGE, '--reuse'], {
      cwd: ROOT,
      env: { ...process.env, CONTAINERS_CONF: containersConf() },
      timeout: 300_000,
    });
  });

  after(async () => {
    await removeContainersWithLabel(LABEL);
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('is labelled, runs as user 10001, and answers --version', async () => {
    const config = JSON.parse(await podman(['image', 'inspect', '--format', '{{json .Config}}', IMAGE])) as {
      User: string;
      Labels: Record<string, string>;
      Entrypoint: string[];
      ExposedPorts: Record<string, unknown>;
    };
    assert.equal(config.User, '10001:10001');
    assert.equal(config.Labels['org.opencontainers.image.version'], VERSION);
    assert.match(config.Labels['org.opencontainers.image.revision'] ?? '', /^[0-9a-f]{40}$/);
    assert.match(config.Labels['io.mcp-gitops.build-inputs'] ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual(config.Entrypoint, ['/usr/local/bin/node', '/opt/mcp-gitops/bin/mcp-gitops.js']);
    assert.ok('8080/tcp' in config.ExposedPorts);
    const res = await runImage(['--version']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.trim(), VERSION);
    // The packed product runs dist/ (no src/, no tsx) as the unprivileged user.
    const who = await runImage(
      [
        '-e',
        'const fs=require("fs");console.log(process.getuid(),fs.existsSync("/opt/mcp-gitops/src"),fs.existsSync("/opt/mcp-gitops/dist/cli/main.js"))',
      ],
      ['--entrypoint', '/usr/local/bin/node'],
    );
    assert.equal(who.stdout.trim(), '10001 false true', who.stderr);
    // ssh (ssh:// hosts) loads its libraries and finds the user in /etc/passwd.
    const ssh = await runImage(['-G', 'vm.example'], ['--entrypoint', '/usr/bin/ssh']);
    assert.equal(ssh.code, 0, ssh.stderr);
    assert.match(ssh.stdout, /^user mcp-gitops$/m);
  });

  test('validate reads a config repo mounted read-only and reports its errors', async () => {
    const repo = repoFromDir(path.join(ROOT, 'examples/quickstart'), 'mcp-gitops-image-validate-');
    // A temp dir is 0700; the container's user 10001 reads it as anyone would a checkout.
    fs.chmodSync(repo.dir, 0o755);
    try {
      const mount = ['-v', `${repo.dir}:/config:ro`];
      const ok = await runImage(['validate', '--repo', '/config'], mount);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      repo.write(
        'servers/broken.yaml',
        'apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: broken\nspec:\n  transport: stdio\n',
      );
      const bad = await runImage(['validate', '--repo', '/config'], mount);
      assert.equal(bad.code, 1, bad.stdout + bad.stderr);
      assert.match(bad.stdout, /^servers\/broken\.yaml:\d+:\d+: error: /m);
    } finally {
      repo.cleanup();
    }
  });

  describe('serve', () => {
    let server: GitHttpServer | undefined;
    let bare = '';
    const name = `mcp-gitops-image-serve-${process.pid}`;

    before(async () => {
      // The container has its own network namespace; it reaches the host's git server on the
      // podman bridge's gateway address (nothing listens beyond this machine).
      const networks = JSON.parse(await podman(['network', 'inspect', 'podman'])) as {
        subnets?: { gateway?: string }[];
      }[];
      const gateway = networks[0]?.subnets?.find((s) => s.gateway && !s.gateway.includes(':'))?.gateway;
      assert.ok(gateway, 'the podman network has an IPv4 gateway');
      const remotes = path.join(base, 'remotes');
      bare = path.join(remotes, 'config.git');
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
      execFileSync('git', ['-C', bare, 'config', 'http.receivepack', 'true']);
      server = await startGitHttpServer(remotes, { token: GIT_TOKEN, host: gateway });
      const repo = createTempRepo('mcp-gitops-image-config-');
      try {
        repo.write(
          'mcp-gitops.yaml',
          'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: image\nspec:\n  branch: main\n',
        );
        repo.write(
          'servers/memory.yaml',
          `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: memory\nspec:\n  command:\n    path: /usr/local/bin/node\n    args: ["${MEMORY_IN_CONTAINER}"]\n  transport: stdio\n  env:\n    MEMORY_FILE_PATH: /var/lib/mcp-gitops/memory.jsonl\n  health:\n    expectTools: [read_graph]\n    timeoutMs: 20000\n`,
        );
        repo.write(
          'environments/dev.yaml',
          'apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: dev\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [claude-code]\n      home: /var/lib/mcp-gitops\n  servers:\n    - name: memory\n',
        );
        repo.commitAll('config');
        // Async: the git server answers from this process.
        const authed = server.url.replace('http://', `http://x:${GIT_TOKEN}@`);
        await run('git', ['-C', repo.dir, 'push', '-q', `${authed}/config.git`, 'HEAD:main'], {
          timeout: 30_000,
        });
      } finally {
        repo.cleanup();
      }
    });

    after(async () => {
      await removeContainersWithLabel(LABEL);
      await server?.close();
    });

    test('answers /healthz on a loopback-published port and pushes the startup reconcile', async () => {
      assert.ok(server);
      const hostPort = await uncommonPort();
      // Secrets by environment: `-e NAME` takes the value from podman's own environment, so it
      // is in no command line.
      await run(
        'podman',
        [
          'run',
          '-d',
          '--name',
          name,
          '--label',
          LABEL,
          '-p',
          `127.0.0.1:${hostPort}:8080`,
          '-v',
          `${MODULES}:/opt/test/node_modules:ro`,
          '-e',
          'MCP_GITOPS_GIT_TOKEN',
          '-e',
          'MCP_GITOPS_WEBHOOK_SECRET',
          IMAGE,
          'serve',
          '--remote',
          `${server.url}/config.git`,
          '--listen',
          '0.0.0.0:8080',
          '--state-dir',
          '/var/lib/mcp-gitops/state',
        ],
        {
          env: {
            ...process.env,
            CONTAINERS_CONF: containersConf(),
            MCP_GITOPS_GIT_TOKEN: GIT_TOKEN,
            MCP_GITOPS_WEBHOOK_SECRET: WEBHOOK_SECRET,
          },
          timeout: 60_000,
        },
      );
      const url = `http://127.0.0.1:${hostPort}`;
      const logs = () => podman(['logs', name]).catch((e: Error) => e.message);
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', bare, ...args], { encoding: 'utf8' }).trim();
      try {
        const health = await waitFor(async () => (await get(`${url}/healthz`))?.status === 200, {
          timeoutMs: 60_000,
          intervalMs: 250,
          what: '/healthz from the container',
        });
        assert.equal(health, true);
        // /readyz: the cache checkout is synced; then the startup reconcile pushes its report.
        await waitFor(async () => (await get(`${url}/readyz`))?.status === 200, {
          timeoutMs: 60_000,
          intervalMs: 500,
          what: '/readyz (a synced checkout)',
        });
        await waitFor(() => git('log', '-1', '--format=%s', 'main').startsWith('reconcile('), {
          timeoutMs: 120_000,
          intervalMs: 500,
          what: 'the report commit on the remote',
        });
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${await logs()}`);
      }
      const reportText = git('show', 'main:reports/dev/laptop.json');
      assert.match(
        git('log', '-1', '--format=%an%n%B', 'main'),
        /^mcp-gitops\nreconcile\(dev\): 1 changed, 0 failed, 0 drifted\n\nMcp-Gitops-Report: true/,
        `${reportText}\n${await logs()}`,
      );
      assert.equal(git('tag', '-l'), 'dev/v1.0.0');
      const report = JSON.parse(reportText) as {
        inventory: { server: string; health: string }[];
      };
      assert.deepEqual(
        report.inventory.map((e) => `${e.server}:${e.health}`),
        ['memory:healthy'],
      );
      // The client config the container wrote for its local target, in its own home.
      const claude = await podman([
        'exec',
        name,
        '/usr/local/bin/node',
        '-p',
        'Object.keys(require("/var/lib/mcp-gitops/.claude.json").mcpServers).join()',
      ]);
      assert.equal(claude, 'memory');
      // The git command line's HTTP transport works in the image, under /bin/sh's ulimit as serve
      // fetches pull request heads; the token travels in git's environment only.
      const basic = Buffer.from(`x-access-token:${GIT_TOKEN}`).toString('base64');
      const { stdout: heads } = await run(
        'podman',
        [
          'exec',
          '-e',
          'GIT_CONFIG_COUNT=1',
          '-e',
          'GIT_CONFIG_KEY_0=http.extraHeader',
          '-e',
          'GIT_CONFIG_VALUE_0',
          name,
          '/bin/sh',
          '-c',
          'ulimit -f 100000 && exec "$@"',
          'sh',
          'git',
          'ls-remote',
          `${server.url}/config.git`,
          'refs/heads/main',
        ],
        {
          env: {
            ...process.env,
            CONTAINERS_CONF: containersConf(),
            GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
          },
          timeout: 30_000,
        },
      );
      assert.equal(heads.split('\t')[0], git('rev-parse', 'main'));
      const status = await get(`${url}/env/dev`);
      assert.equal(status?.status, 200);
      // The status UI's environment page, from the reports in the container's cache checkout.
      assert.match(
        status?.body ?? '',
        /data-testid="health-dev-laptop-memory"><span aria-hidden="true">[^<]*<\/span> healthy</,
        status?.body,
      );
      const output = await logs();
      assert.ok(!output.includes(GIT_TOKEN), 'the git token is not in the logs');
      assert.ok(!output.includes(WEBHOOK_SECRET), 'the webhook secret is not in the logs');
      // SIGTERM (the image's stop signal) ends serve cleanly.
      await podman(['stop', '-t', '20', name], 60_000);
      assert.equal(await podman(['inspect', '--format', '{{.State.ExitCode}}', name]), '0');
    });
  });
});
