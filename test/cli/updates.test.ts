/**
 * `mcp-gitops updates` end to end: the real CLI in a child process, a real git config repo pinned
 * at 1.0.0, a REAL npm registry (verdaccio 6.0.5, U1's helper) holding the demo server's 1.0.0,
 * 1.1.0 and 2.0.0, its token given by reference (`registries.npm.token: { ref: env:NPM_TOKEN }`)
 * and used as the canary, and a PyPI server whose registry URL points at a closed loopback port
 * (down). Text, JSON and Markdown; exit codes; the last run saved for the status page.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliRunner } from '../helpers/cli.js';
import { freePorts } from '../helpers/kube-processes.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { startVerdaccio, type Verdaccio } from '../helpers/verdaccio.js';

const DEMO = 'mcp-gitops-demo-server';
const DAY = 86_400_000;
let registry: Verdaccio;
let repo: TempRepo;
let state: string;
let cli: ReturnType<typeof cliRunner>;

before(async () => {
  registry = await startVerdaccio();
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  await registry.seed(DEMO, [
    { version: '1.0.0', publishedAt: ago(60) },
    { version: '1.1.0', publishedAt: ago(30) },
    { version: '2.0.0', publishedAt: ago(10) },
  ]);
  const [dead] = await freePorts(1);
  repo = createTempRepo('mcp-gitops-updates-cli-');
  repo.write(
    'mcp-gitops.yaml',
    `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: updates-cli }
spec:
  branch: main
  updates:
    registries:
      npm: { url: "${registry.url}", token: { ref: env:NPM_TOKEN } }
      pypi: { url: "http://127.0.0.1:${dead}" }
`,
  );
  repo.write(
    'servers/demo.yaml',
    `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: demo }
spec:
  package:
    registryType: npm
    identifier: ${DEMO}
    version: "1.0.0"
  transport: stdio
`,
  );
  repo.write(
    'servers/pyserver.yaml',
    `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: pyserver }
spec:
  package:
    registryType: pypi
    identifier: mcp-server-thing
    version: "0.4"
  transport: stdio
`,
  );
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets:
    - { name: laptop, provider: client-config, host: local, clients: [claude-code] }
  servers:
    - name: demo
    - name: pyserver
`,
  );
  repo.commitAll('config');
  state = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-updates-state-'));
  cli = cliRunner({ NPM_TOKEN: registry.token, MCP_GITOPS_STATE_DIR: state, NO_COLOR: '1' });
});

after(async () => {
  await registry?.stop();
  repo?.cleanup();
  if (state) fs.rmSync(state, { recursive: true, force: true });
});

describe('mcp-gitops updates', () => {
  test('text: a table per server, the dead registry on its server only, exit 0', async () => {
    const r = await cli.run(['updates', '--repo', repo.dir]);
    assert.equal(r.code, 0, r.stderr);
    // Not a TTY: plain progress lines on stderr, a few per run.
    assert.match(r.stderr, /^asking registries about 2 packages, 8 at a time$/m);
    const lines = r.stdout.split('\n');
    assert.match(lines[0] ?? '', /^Updates for the config at [0-9a-f]{12}, checked \d{4}-\d{2}-\d{2}T/);
    const demo = r.stdout.slice(r.stdout.indexOf('\ndemo  '));
    assert.match(demo, /^\ndemo {2}npm mcp-gitops-demo-server {2}\(dev\) {2}servers\/demo\.yaml:8\n/);
    assert.match(demo, /\n {2}current {3}1\.0\.0\n/);
    assert.match(demo, /\n {2}proposed {2}1\.1\.0 \(published \d{4}-\d{2}-\d{2}\)\n/);
    assert.match(demo, /\n {2}held {6}2\.0\.0 {2}not-allowed: a major update; the policy allows minor\n/);
    assert.match(
      r.stdout,
      /\npyserver {2}pypi mcp-server-thing {2}\(dev\) {2}servers\/pyserver\.yaml:8\n {2}current {3}0\.4\n {2}error {5}\S.*127\.0\.0\.1/,
    );
    assert.match(
      r.stdout,
      /\n1 server checked, 1 update pending, 1 could not be checked \(\d+ registry requests? in \d+\.\d s\)\n$/,
    );
    // The last run is saved for ui and the status page.
    const saved = fs.readdirSync(path.join(state, 'updates'));
    assert.equal(saved.length, 1);
    const last = fs.readFileSync(path.join(state, 'updates', saved[0] as string, 'last-report.json'), 'utf8');
    assert.match(last, /"proposed":\{"version":"1\.1\.0"/);
    assert.equal(last.includes(registry.token), false);
  });

  test('json: the versioned report, sorted, with the pinned version location', async () => {
    const r = await cli.run(['updates', '--repo', repo.dir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(r.stdout) as Record<string, unknown> & { servers: Record<string, unknown>[] };
    assert.equal(data.apiVersion, 'mcp-gitops/v1');
    assert.equal(data.kind, 'UpdatesReport');
    assert.deepEqual(data.summary, { checked: 1, pending: 1, errors: 1, skipped: 0 });
    assert.deepEqual(
      data.servers.map((s) => s.server),
      ['demo', 'pyserver'],
    );
    const demo = data.servers[0] as { proposed: { pin: string }; location: unknown; held: unknown[] };
    assert.equal(demo.proposed.pin, '1.1.0');
    assert.deepEqual(demo.location, {
      file: 'servers/demo.yaml',
      line: 8,
      path: ['spec', 'package', 'version'],
    });
    assert.equal(demo.held.length, 1);
    assert.equal(typeof data.servers[1]?.error, 'string');
  });

  test('markdown: a table for a pull request or an issue', async () => {
    const r = await cli.run(['updates', '--repo', repo.dir, '--format', 'markdown']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^### mcp-gitops updates\n/);
    assert.match(
      r.stdout,
      /\n\| demo \| npm <code>mcp-gitops-demo-server<\/code> \| <code>1\.0\.0<\/code> \| \*\*<code>1\.1\.0<\/code>\*\* \| dev \| <code>servers\/demo\.yaml:8<\/code> \|\n/,
    );
    assert.match(
      r.stdout,
      /\n- demo <code>2\.0\.0<\/code>: not-allowed, a major update; the policy allows minor\n/,
    );
  });

  test('exit codes: --detailed-exitcode 2 with an update pending, --strict 1 with a server unchecked', async () => {
    assert.equal(
      (await cli.run(['updates', '--repo', repo.dir, '--detailed-exitcode', '--env', 'dev'])).code,
      2,
    );
    assert.equal((await cli.run(['updates', '--repo', repo.dir, '--strict'])).code, 1);
    const unknown = await cli.run(['updates', '--repo', repo.dir, '--env', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown environment "nope"/);
  });

  test('invalid config fails with file:line as plan does, and nothing is asked', async () => {
    repo.write(
      'servers/demo.yaml',
      `${fs.readFileSync(path.join(repo.dir, 'servers/demo.yaml'), 'utf8')}  updates: { schedule: "0 0 * * funday" }\n`,
    );
    const r = await cli.run(['updates', '--repo', repo.dir, '--worktree']);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /servers\/demo\.yaml:10:\d+: error: spec\.updates\.schedule: "0 0 \* \* funday" is not a 5-field cron expression/,
    );
    repo.git('checkout', '--', 'servers/demo.yaml');
  });

  test('the registry token (the canary) never appears in anything the command printed', () => {
    assert.ok(cli.transcript.length >= 10);
    for (const text of cli.transcript) assert.equal(text.includes(registry.token), false);
  });
});
