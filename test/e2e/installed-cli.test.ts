/**
 * The README's way in, end to end: `npm pack` this checkout, `npm install -g` the tarball into a
 * fresh prefix, and run the five-minute walkthrough with the INSTALLED `<prefix>/bin/mcp-gitops`
 * (no src/, no tsx: the esbuild bundle and the shipped schemas, presets and templates) in a
 * temporary HOME, so no real client config is touched. Pack and install happen once; the steps
 * run in order on one config repo, as a newcomer would type them.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (
  JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { version: string }
).version;
const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-installed-')));
const prefix = path.join(work, 'prefix');
const home = path.join(work, 'home');
const repo = path.join(home, 'my-mcp');
const installedBin = path.join(prefix, 'bin', 'mcp-gitops');
const author = { name: 'Newcomer', email: 'newcomer@example.com' };
/** The shell of a user who installed the tarball: npm's global bin first, nothing of this checkout. */
const userEnv: NodeJS.ProcessEnv = {
  HOME: home,
  MCP_GITOPS_HOME: home,
  PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(
    ':',
  ),
  NO_COLOR: '1',
  GIT_AUTHOR_NAME: author.name,
  GIT_AUTHOR_EMAIL: author.email,
  GIT_COMMITTER_NAME: author.name,
  GIT_COMMITTER_EMAIL: author.email,
  ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
};
let tarball = '';
let packed: string[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeout = 120_000) {
  return new Promise<Run>((resolve) => {
    execFile(file, args, { cwd, env, timeout, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      // A command that could not start (ENOENT, a bad cwd) says so instead of exiting "1" silently.
      if (err && typeof err.code !== 'number')
        resolve({ code: 1, stdout, stderr: `${stderr}${err.message}` });
      else resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
    });
  });
}

/** The installed command, run as the user would type `mcp-gitops ARGS` in `cwd`. */
const mcpGitops = (args: readonly string[], cwd = repo) => run(installedBin, args, cwd, userEnv);
const show = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
const git = (...args: string[]) =>
  execFileSync('git', ['-C', repo, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...userEnv },
  }).trim();
const tags = () => git('tag', '-l').split('\n').filter(Boolean).sort();
const tagMessage = (tag: string) => git('tag', '-l', '--format=%(contents)', tag);
const memoryPath = () =>
  (
    JSON.parse(fs.readFileSync(path.join(home, 'src/app/.mcp.json'), 'utf8')) as {
      mcpServers: Record<string, { env?: Record<string, string> }>;
    }
  ).mcpServers.memory?.env?.MEMORY_FILE_PATH;

describe('the packed, installed CLI runs the walkthrough', { timeout: 300_000 }, () => {
  before(async () => {
    fs.mkdirSync(home);
    const packDir = path.join(work, 'pack');
    fs.mkdirSync(packDir);
    // What the README says: npm pack (its prepare script builds dist/), then npm install -g. The
    // pack runs in a private copy of the checkout: the image build packs too, maybe at the same time.
    const pack = await run(
      process.execPath,
      [path.join(PROJECT, 'scripts/pack-isolated.mjs'), packDir],
      PROJECT,
      process.env,
    );
    assert.equal(pack.code, 0, show(pack));
    const made = fs.readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
    assert.equal(made.length, 1, made.join(', '));
    tarball = path.join(packDir, made[0]!);
    packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    const install = await run(
      'npm',
      ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'],
      work,
      process.env,
    );
    assert.equal(install.code, 0, show(install));
  });

  after(async () => {
    // Stops nothing: the laptop preset only writes client configs; the clients start stdio servers.
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('the tarball is the one the README names and ships what the CLI reads, without sources', () => {
    assert.equal(path.basename(tarball), `mcp-gitops-${VERSION}.tgz`);
    const readme = fs.readFileSync(path.join(PROJECT, 'README.md'), 'utf8');
    assert.ok(readme.includes(`npm install -g ./mcp-gitops-${VERSION}.tgz`), 'README names this tarball');
    for (const file of [
      'bin/mcp-gitops.js',
      'dist/cli/main.js',
      'schemas/server.schema.json',
      'policies/no-plaintext-secrets.yaml',
      'environments/laptop.yaml',
      'examples/quickstart/servers/memory.yaml',
      'templates/environment-report.md.hbs',
    ])
      assert.ok(packed.includes(`package/${file}`), `${file} is packed`);
    assert.deepEqual(
      packed.filter((f) => /^package\/(src|test|bench|scripts)\//.test(f)),
      [],
      'sources and tests stay out',
    );
    assert.equal(
      fs.realpathSync(installedBin),
      path.join(prefix, 'lib/node_modules/mcp-gitops/bin/mcp-gitops.js'),
    );
  });

  test('--version from any folder', async () => {
    const r = await mcpGitops(['--version'], home);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout.trim(), VERSION);
  });

  test('init my-mcp: a committed repo, next steps that say mcp-gitops, a README with no npm link', async () => {
    const r = await mcpGitops(['init', 'my-mcp'], home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^ {2}cd my-mcp$/m);
    assert.match(r.stdout, /^ {2}mcp-gitops validate +# check every file$/m);
    assert.doesNotMatch(r.stdout, /npx|not on your PATH|node \//);
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    assert.doesNotMatch(readme, /npmjs|npx/);
    assert.match(readme, new RegExp(`npm install -g \\./mcp-gitops-${VERSION.replaceAll('.', '\\.')}\\.tgz`));
    assert.equal(git('status', '--porcelain'), '');
  });

  test('validate exits 0', async () => {
    const r = await mcpGitops(['validate']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /✓ \d+ documents valid/);
  });

  test('hooks install: the pre-commit hook runs the installed package', async () => {
    const r = await mcpGitops(['hooks', 'install']);
    assert.equal(r.code, 0, show(r));
    const hook = fs.readFileSync(path.join(repo, '.git/hooks/pre-commit'), 'utf8');
    assert.ok(hook.includes(path.join(prefix, 'lib/node_modules/mcp-gitops/bin/mcp-gitops.js')), hook);
  });

  test('plan shows the server it would create', async () => {
    const r = await mcpGitops(['plan']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^dev\/laptop \(client-config on local\)$/m);
    assert.match(r.stdout, /^ {2}\+ memory: create/m);
    assert.match(r.stdout, /^Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged\.$/m);
  });

  test("reconcile registers memory in the temp HOME's client configs, verifies it over MCP and tags dev/v1.0.0", async () => {
    const r = await mcpGitops(['reconcile']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /create memory: applied \(healthy, 9 tools\)/);
    assert.match(r.stdout, /^Tagged dev\/v1\.0\.0$/m);
    assert.deepEqual(tags(), ['dev/v1.0.0']);
    assert.equal(memoryPath(), path.join(home, '.local/share/mcp/memory.jsonl'));
  });

  test('drift --detailed-exitcode exits 0: nothing drifted', async () => {
    const r = await mcpGitops(['drift', '--detailed-exitcode']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /No drift/);
  });

  test('status prints each environment as of its reports commit, the target and the server', async () => {
    const r = await mcpGitops(['status']);
    assert.equal(r.code, 0, show(r));
    const reports = git('rev-parse', 'HEAD');
    const asOf = /^dev: as of ([0-9a-f]{7,40}) \((.+)\)$/m.exec(r.stdout);
    assert.ok(asOf, `an "as of" line:\n${r.stdout}`);
    assert.ok(reports.startsWith(asOf[1]!), `as of the reports commit ${reports}`);
    assert.match(r.stdout, /^dev\/laptop \[client-config on local\]: Ready$/m);
    assert.match(r.stdout, /^ {2}memory 2026\.8\.31 \(stdio\): healthy, 9 tools$/m);
  });

  test('a second commit (through the installed pre-commit hook) and reconcile make a new tag', async () => {
    const file = path.join(repo, 'servers/memory.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('/memory.jsonl', '/memory-v2.jsonl'));
    git('commit', '-q', '-am', 'memory: a file of its own for v2');
    const r = await mcpGitops(['reconcile']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /update memory: applied/);
    const added = tags().filter((t) => t !== 'dev/v1.0.0');
    assert.equal(added.length, 1, tags().join(', '));
    assert.match(added[0]!, /^dev\/v1\.(1\.0|0\.1)$/);
    assert.equal(memoryPath(), path.join(home, '.local/share/mcp/memory-v2.jsonl'));
  });

  test('rollback to dev/v1.0.0: the old config applied, a report commit and a new rollback tag', async () => {
    const before = tags();
    const r = await mcpGitops(['rollback', '--env', 'dev', '--to', 'dev/v1.0.0']);
    assert.equal(r.code, 0, show(r));
    assert.equal(memoryPath(), path.join(home, '.local/share/mcp/memory.jsonl'), 'back at v1.0.0');
    const subjects = git('log', '--format=%s', '-5').split('\n');
    assert.ok(
      subjects.some((s) => s.startsWith('rollback(dev): to dev/v1.0.0')),
      `a rollback report commit:\n${subjects.join('\n')}`,
    );
    const added = tags().filter((t) => !before.includes(t));
    assert.equal(added.length, 1, `one new tag, got: ${added.join(', ') || 'none'}`);
    const message = tagMessage(added[0]!);
    assert.match(message, /rollback/i);
    assert.ok(message.includes('dev/v1.0.0'), message);
    const status = await mcpGitops(['status']);
    assert.equal(status.code, 0, show(status));
    assert.match(status.stdout, /SUSPENDED/);
    const resume = await mcpGitops(['resume', '--env', 'dev']);
    assert.equal(resume.code, 0, show(resume));
  });

  test('npx in a project that installed the tarball: init names npx mcp-gitops, and that runs', async () => {
    const project = path.join(home, 'app-with-dependency');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "app", "private": true }\n');
    const install = await run(
      'npm',
      ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'],
      project,
      process.env,
    );
    assert.equal(install.code, 0, show(install));
    // A shell without the global install: mcp-gitops is only the project's dependency.
    const env = {
      ...userEnv,
      PATH: [path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    };
    const init = await run('npx', ['mcp-gitops', 'init', 'infra'], project, env);
    assert.equal(init.code, 0, show(init));
    assert.match(init.stdout, /^ {2}npx mcp-gitops validate +# check every file$/m);
    const validate = await run('npx', ['mcp-gitops', 'validate'], path.join(project, 'infra'), env);
    assert.equal(validate.code, 0, show(validate));
  });
});

test('a checkout without node_modules or dist/ says to run npm ci instead of a module stack', async (t) => {
  const checkout = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-bare-checkout-')));
  t.after(() => fs.rmSync(checkout, { recursive: true, force: true }));
  fs.cpSync(path.join(PROJECT, 'bin'), path.join(checkout, 'bin'), { recursive: true });
  fs.symlinkSync(path.join(PROJECT, 'src'), path.join(checkout, 'src'));
  const r = await run(
    process.execPath,
    [path.join(checkout, 'bin/mcp-gitops.js'), '--version'],
    checkout,
    userEnv,
  );
  assert.equal(r.code, 1, show(r));
  assert.equal(r.stdout, '', show(r));
  assert.equal(
    r.stderr,
    `mcp-gitops: ${checkout}/ has no dist/ and no tsx to run its sources: run \`npm ci\` there (it installs tsx and builds dist/)\n`,
  );
});
