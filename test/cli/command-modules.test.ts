/**
 * What `plan` and `validate` actually load, at run time: a `--require` hook in the real CLI's
 * process lists the npm packages in Node's module cache when it exits. Neither command needs
 * isomorphic-git (refs, commits and trees are read natively), handlebars (no report is rendered,
 * the config's templates are plain), pino (the logger is silent) or semver (no `updates.ignore`
 * entries to check): ~85 ms of module loading that every plan paid. `validate --staged` reads the git index through isomorphic-git, so it shows
 * the hook sees a package that is loaded.
 *
 * `reconcile` renders the Markdown reports: the built CLI (dist/ as scripts/build.mjs makes it, in a
 * package folder) has the report templates precompiled and loads handlebars' runtime only, not its
 * compiler and source-map (~19 ms, and ~25 ms compiling the templates on every run).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BIN, runCli } from '../helpers/cli.js';
import { serverBin } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';

/** Packages neither command uses on a repository without hooks, report templates or `updates:`. */
const UNUSED = ['isomorphic-git', 'handlebars', 'pino', 'semver'];

const HOOK = `
const fs = require('node:fs');
process.on('exit', () => {
  const names = Object.keys(require.cache)
    .filter((f) => f.includes('/node_modules/'))
    .map((f) => f.slice(f.lastIndexOf('/node_modules/') + 14).split('/'))
    .map((p) => (p[0].startsWith('@') ? p[0] + '/' + p[1] : p[0]));
  fs.writeFileSync(process.env.LOADED_OUT, JSON.stringify([...new Set(names)].sort()));
  if (process.env.LOADED_FILES_OUT) fs.writeFileSync(process.env.LOADED_FILES_OUT, JSON.stringify(Object.keys(require.cache)));
});
`;

describe('modules a command loads (real CLI, real repo)', { timeout: 180_000 }, () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-modules-'));
  after(() => fs.rmSync(base, { recursive: true, force: true }));
  const hook = path.join(base, 'loaded-hook.cjs');
  fs.writeFileSync(hook, HOOK);
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  const repo = createTempRepo('mcp-gitops-modules-');
  after(() => repo.cleanup());
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: modules }\nspec: { branch: main }\n',
  );
  repo.write(
    'servers/echo.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: echo }\nspec:\n  command: { path: ${process.execPath}, args: [server.js] }\n  transport: stdio\n  env: { TEAM: "{{vars.team}}" }\n`,
  );
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  vars: { team: platform }\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [cursor, claude-code]\n      home: ${home}\n      projectDir: ~/src/app\n  servers:\n    - name: echo\n`,
  );
  repo.commitAll('config');
  repo.git('tag', '-a', '-m', 'release', 'dev/v1.0.0');

  async function loaded(args: string[], expectCode = 0): Promise<string[]> {
    const out = path.join(base, `loaded-${args.join('-').replace(/\W+/g, '_')}.json`);
    const result = await runCli(
      BIN,
      [...args, '--repo', repo.dir],
      { HOME: home, MCP_GITOPS_HOME: home, NO_COLOR: '1', LOADED_OUT: out },
      120_000,
      ['--require', hook],
    );
    assert.equal(result.code, expectCode, `${args.join(' ')}: ${result.stderr}${result.stdout}`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
  }

  test('plan reads git and plans without isomorphic-git, handlebars, pino or semver', async () => {
    const packages = await loaded(['plan']);
    assert.ok(packages.includes('js-yaml'), `the hook sees what is loaded: ${packages.join(', ')}`);
    for (const heavy of UNUSED)
      assert.ok(!packages.includes(heavy), `plan loads ${heavy}: ${packages.join(', ')}`);
  });

  test('validate and validate --rev TAG load none of them either', async () => {
    for (const args of [['validate'], ['validate', '--rev', 'dev/v1.0.0']]) {
      const packages = await loaded(args);
      for (const heavy of UNUSED)
        assert.ok(!packages.includes(heavy), `${args.join(' ')} loads ${heavy}: ${packages.join(', ')}`);
    }
  });

  test('the hook sees isomorphic-git where a command does use it (validate --staged reads the index)', async () => {
    assert.ok((await loaded(['validate', '--staged'])).includes('isomorphic-git'));
  });
});

/** Handlebars' compiler: its own folder, and source-map, which only its code generator requires. */
const COMPILER = /\/node_modules\/(handlebars\/dist\/cjs\/handlebars\/compiler\/|source-map\/)/;

describe('modules the built CLI loads to reconcile and write reports (real repo, real server)', {
  timeout: 300_000,
}, () => {
  const project = fileURLToPath(new URL('../../', import.meta.url));
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-modules-built-'));
  after(() => fs.rmSync(base, { recursive: true, force: true }));
  const hook = path.join(base, 'loaded-hook.cjs');
  fs.writeFileSync(hook, HOOK);
  const home = path.join(base, 'home');
  fs.mkdirSync(home);
  const pkg = path.join(base, 'pkg');
  const repo = createTempRepo('mcp-gitops-modules-built-');
  after(() => repo.cleanup());

  before(() => {
    fs.mkdirSync(pkg);
    fs.copyFileSync(path.join(project, 'package.json'), path.join(pkg, 'package.json'));
    for (const entry of ['schemas', 'policies', 'environments', 'examples', 'templates', 'node_modules'])
      fs.symlinkSync(path.join(project, entry), path.join(pkg, entry));
    execFileSync(process.execPath, [path.join(project, 'scripts/build.mjs'), path.join(pkg, 'dist')], {
      stdio: 'pipe',
    });
    repo.write(
      'mcp-gitops.yaml',
      'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: modules }\nspec: { branch: main }\n',
    );
    repo.write(
      'servers/memory.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: memory }\nspec:\n  command: { path: ${process.execPath}, args: ["${serverBin('memory')}"] }\n  transport: stdio\n  env: { MEMORY_FILE_PATH: "${path.join(base, 'memory.jsonl')}" }\n  health: { expectTools: [read_graph], timeoutMs: 15000 }\n`,
    );
    repo.write(
      'environments/dev.yaml',
      `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n    - name: laptop\n      provider: client-config\n      clients: [cursor]\n      home: ${home}\n  servers:\n    - name: memory\n`,
    );
    repo.commitAll('config');
  });

  test('reconcile writes the Markdown reports with handlebars runtime only: no compiler, no source-map', async () => {
    const out = path.join(base, 'loaded-reconcile.json');
    const filesOut = path.join(base, 'loaded-reconcile-files.json');
    // --no-commit: the reports are written to the working tree, and no tag is made (a tag's prefix
    // is a template of the Repository's settings, compiled from config like any other).
    const result = await runCli(
      path.join(pkg, 'dist/cli/main.js'),
      ['reconcile', '--no-commit', '--repo', repo.dir],
      { HOME: home, MCP_GITOPS_HOME: home, NO_COLOR: '1', LOADED_OUT: out, LOADED_FILES_OUT: filesOut },
      240_000,
      ['--require', hook],
    );
    assert.equal(result.code, 0, `reconcile: ${result.stderr}${result.stdout}`);
    const readme = fs.readFileSync(path.join(repo.dir, 'reports/dev/README.md'), 'utf8');
    assert.match(readme, /^# Environment `dev`\n/);
    assert.match(readme, /\| `memory` \| .* \| healthy \|/);
    assert.match(
      fs.readFileSync(path.join(repo.dir, 'reports/README.md'), 'utf8'),
      /^# MCP server reports\n/,
    );
    const files = JSON.parse(fs.readFileSync(filesOut, 'utf8')) as string[];
    assert.ok(
      files.some((f) => f.endsWith('/node_modules/handlebars/dist/cjs/handlebars/runtime.js')),
      `the hook sees handlebars' runtime, which rendered the reports: ${files.length} files`,
    );
    assert.deepEqual(
      files.filter((f) => COMPILER.test(f)),
      [],
      "reconcile loads handlebars' compiler",
    );
  });

  /** `reconcile` of the built CLI, and the packages it loaded. */
  async function reconcileBuilt(name: string): Promise<{ stdout: string; packages: string[] }> {
    const out = path.join(base, `loaded-${name}.json`);
    const result = await runCli(
      path.join(pkg, 'dist/cli/main.js'),
      ['reconcile', '--repo', repo.dir],
      { HOME: home, MCP_GITOPS_HOME: home, NO_COLOR: '1', LOADED_OUT: out },
      240_000,
      ['--require', hook],
    );
    assert.equal(result.code, 0, `reconcile: ${result.stderr}${result.stdout}`);
    return { stdout: result.stdout, packages: JSON.parse(fs.readFileSync(out, 'utf8')) as string[] };
  }

  test('a reconcile that finds nothing to do, config from the cache, loads no parser, validator or version code', async () => {
    // The first run commits the reports the test above wrote; the second has nothing to do. Both
    // read the config from the cache the test above filled (same commit tree).
    const first = await reconcileBuilt('reconcile-first');
    assert.ok(
      first.packages.includes('isomorphic-git'),
      `the hook sees the first run commit: ${first.packages.join(', ')}`,
    );
    const again = await reconcileBuilt('reconcile-again');
    assert.match(again.stdout, /^Reconcile: 0 changed, 0 failed, 0 drifted/m);
    // Its reports are the committed ones byte for byte, so are its READMEs (readme-memo.ts): not
    // rendered again, handlebars not even loaded.
    for (const heavy of ['js-yaml', 'yaml', 'ajv', 'semver', 'isomorphic-git', 'handlebars'])
      assert.ok(
        !again.packages.includes(heavy),
        `a no-op reconcile loads ${heavy}: ${again.packages.join(', ')}`,
      );
  });

  test('a README edited by hand is rendered again, whatever the memo remembers', async () => {
    const readmePath = path.join(repo.dir, 'reports/dev/README.md');
    const rendered = fs.readFileSync(readmePath, 'utf8');
    fs.writeFileSync(readmePath, `${rendered}edited by hand\n`);
    repo.commitAll('edit the README');
    const { packages } = await reconcileBuilt('reconcile-edited');
    assert.equal(fs.readFileSync(readmePath, 'utf8'), rendered, 'the README is the rendered one again');
    assert.equal(repo.git('show', 'HEAD:reports/dev/README.md'), rendered.trimEnd(), 'and committed');
    assert.ok(packages.includes('handlebars'));
  });
});
