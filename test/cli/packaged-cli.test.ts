/**
 * The CLI as an installed package runs it: dist/ built by scripts/build.mjs (esbuild, code-split)
 * into a package folder with no src/, next to the product folders it reads at run time (schemas,
 * policies, environments, examples, templates). Every other test runs the sources through tsx,
 * so this is what catches a build that loses a file, a lazily loaded module or a product path.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../validate/run-cli.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
// bin/ is copied, not linked: node runs a script from its real path, which would be this checkout.
const SHIPPED = ['schemas', 'policies', 'environments', 'examples', 'templates'];
/** A version no fallback could print by chance. */
const VERSION = '9.8.7-packaged.1';

let work: string;
let pkg: string;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'mcp-gitops-packaged-'));
  pkg = join(work, 'mcp-gitops');
  execFileSync(process.execPath, [join(PROJECT, 'scripts/build.mjs'), join(pkg, 'dist')], { stdio: 'pipe' });
  cpSync(join(PROJECT, 'bin'), join(pkg, 'bin'), { recursive: true });
  for (const entry of [...SHIPPED, 'node_modules']) symlinkSync(join(PROJECT, entry), join(pkg, entry));
  const manifest = JSON.parse(readFileSync(join(PROJECT, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ ...manifest, version: VERSION }, null, 2));
});

after(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(pkg, 'bin/mcp-gitops.js'), ...args],
      {
        cwd: work,
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: '1', MCP_GITOPS_HOME: join(work, 'home') },
      },
      (err, stdout, stderr) => {
        const code = err && typeof err.code === 'number' ? err.code : err ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

test('the packaged CLI reports the version of its package.json', async () => {
  const run = await cli(['--version']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), VERSION);
});

test('the packaged CLI validates the bundled example', async () => {
  const run = await cli(['validate', '--repo', join(PROJECT, 'examples/quickstart')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /✓ \d+ documents valid/);
});

test('the packaged CLI reports bad input with the same diagnostics as the sources', async () => {
  const repo = join(work, 'bad-repo');
  cpSync(join(PROJECT, 'examples/quickstart'), repo, { recursive: true });
  const file = join(repo, 'servers', readdirSync(join(repo, 'servers')).sort()[0]!);
  writeFileSync(file, `${readFileSync(file, 'utf8')}metadata: { name: again }\n`);
  const packaged = await cli(['validate', '--repo', repo]);
  const sources = await runCli(['validate', '--repo', repo]);
  assert.equal(packaged.code, 1);
  assert.match(packaged.stdout, /error: duplicate key "metadata"/);
  assert.equal(packaged.stdout, sources.stdout);
});

test('the packaged CLI scaffolds a repo from the shipped presets, and it validates and plans', async () => {
  const repo = join(work, 'new-repo');
  const init = await cli(['init', repo, '--preset', 'laptop']);
  assert.equal(init.code, 0, init.stderr);
  const validate = await cli(['validate', '--repo', repo]);
  assert.equal(validate.code, 0, validate.stdout + validate.stderr);
  const plan = await cli(['plan', '--repo', repo]);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /Plan: \d+ to create/);
});
