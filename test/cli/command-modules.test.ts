/**
 * What `plan` and `validate` actually load, at run time: a `--require` hook in the real CLI's
 * process lists the npm packages in Node's module cache when it exits. Neither command needs
 * isomorphic-git (refs, commits and trees are read natively), handlebars (no report is rendered,
 * the config's templates are plain), pino (the logger is silent) or semver (no `updates.ignore`
 * entries to check): ~85 ms of module loading that every plan paid. `validate --staged` reads the git index through isomorphic-git, so it shows
 * the hook sees a package that is loaded.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { BIN, runCli } from '../helpers/cli.js';
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
