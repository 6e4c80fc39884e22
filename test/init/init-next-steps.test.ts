/**
 * The real `mcp-gitops init` names, in its next steps, a command that runs for this user: bare
 * `mcp-gitops` when it is on their PATH, `npx mcp-gitops` when npx found it in their project,
 * else `node <bin>` plus how to install it; and it refuses to scaffold inside its own checkout.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { productRoot, productVersion } from '../../src/init/product-paths.js';

const root = fs.realpathSync(productRoot());
const bin = path.join(root, 'bin', 'mcp-gitops.js');
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-next-steps-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A PATH folder that holds an executable `mcp-gitops` (a link to this checkout's bin). */
function pathDirWithCli(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync(bin, path.join(dir, 'mcp-gitops'));
  return dir;
}

function init(cwd: string, dir: string, env: Record<string, string>) {
  const run = spawnSync(process.execPath, [bin, 'init', dir, '--no-git'], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    // Nothing of this machine's PATH: whether mcp-gitops is installed here must not matter.
    env: { HOME: tmp, MCP_GITOPS_HOME: tmp, NO_COLOR: '1', PATH: path.join(tmp, 'empty'), ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const readme = (dir: string) => fs.readFileSync(path.join(tmp, dir, 'README.md'), 'utf8');

test('not on PATH: next steps run the bin through node and say how to install it', () => {
  const run = init(tmp, 'a', {});
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /\n {2}cd a\n/);
  assert.ok(run.stdout.includes(`\n  node ${bin} validate `), run.stdout);
  assert.ok(run.stdout.includes(`\n  node ${bin} reconcile `), run.stdout);
  assert.doesNotMatch(run.stdout, /^ {2}mcp-gitops /m);
  assert.ok(
    run.stdout.includes(`mcp-gitops is not on your PATH. To put it there, in its checkout (${root}):`),
  );
  assert.ok(
    run.stdout.includes(
      `  npm pack && npm install -g ./mcp-gitops-${productVersion()}.tgz    # or: npm link`,
    ),
  );
  assert.match(readme('a'), /^mcp-gitops validate +#/m);
  assert.ok(readme('a').includes(`created by running \`node ${bin}\``));
});

test('on PATH: next steps and README say mcp-gitops, with nothing to install', () => {
  const run = init(tmp, 'b', { PATH: pathDirWithCli('bin-b') });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^ {2}mcp-gitops validate +# check every file$/m);
  assert.match(
    run.stdout,
    /^ {2}mcp-gitops reconcile +# apply, verify over MCP, commit reports, tag dev\/v1\.0\.0$/m,
  );
  assert.doesNotMatch(run.stdout, /not on your PATH|node /);
  assert.doesNotMatch(readme('b'), /created by running|npmjs/);
});

test('a node_modules/.bin on PATH (as npm run and npx add) is not the user PATH', () => {
  const run = init(tmp, 'c', { PATH: pathDirWithCli('proj/node_modules/.bin') });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.includes(`\n  node ${bin} validate `), run.stdout);
});

test('under npx in a project that has mcp-gitops: npx for a repo inside it, node outside it', () => {
  const project = path.join(tmp, 'app');
  fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  fs.symlinkSync(root, path.join(project, 'node_modules', 'mcp-gitops'));
  const npx = { npm_command: 'exec', npm_config_local_prefix: project };
  const inside = init(project, 'infra', npx);
  assert.equal(inside.code, 0, inside.stderr);
  assert.match(inside.stdout, /^ {2}npx mcp-gitops validate +# check every file$/m);
  assert.match(readme('app/infra'), /^npx mcp-gitops validate +#/m);
  const outside = init(project, path.join(tmp, 'elsewhere'), npx);
  assert.equal(outside.code, 0, outside.stderr);
  assert.ok(outside.stdout.includes(`\n  node ${bin} validate `), outside.stdout);
  assert.doesNotMatch(outside.stdout, /npx/);
});

test('inside its own checkout: exit 1, a hint to run it elsewhere, nothing created', () => {
  const name = `my-mcp-refused-${process.pid}`;
  const run = init(root, name, {});
  assert.equal(run.code, 1, run.stdout);
  assert.match(run.stderr, /refusing to create a config repo in .* inside mcp-gitops's own source checkout/);
  assert.ok(
    run.stderr.includes(
      `hint: a config repo is a git repository of its own; nothing was written. Run init from another folder, e.g. \`cd ~ && node ${bin} init my-mcp\``,
    ),
    run.stderr,
  );
  assert.equal(run.stdout, '');
  assert.ok(!fs.existsSync(path.join(root, name)));
});
