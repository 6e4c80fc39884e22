import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { buildScaffold, repoNameFrom } from '../../src/init/build-scaffold.js';
import { initRepo } from '../../src/init/init-repo.js';
import { listPresets } from '../../src/init/list-presets.js';
import { readScaffoldSources } from '../../src/init/read-scaffold-sources.js';
import { schemaRef, withModeline } from '../../src/init/schema-modeline.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-init-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'Init Test', GIT_AUTHOR_EMAIL: 'init@example.com' };

describe('schema modeline', () => {
  test('points from any folder at the repo copy of the schema', () => {
    assert.equal(schemaRef('mcp-gitops.yaml', 'Repository'), '.mcp-gitops/schemas/repository.schema.json');
    assert.equal(schemaRef('servers/a.yaml', 'Server'), '../.mcp-gitops/schemas/server.schema.json');
    assert.equal(
      schemaRef('environments/x/y.yaml', 'Environment'),
      '../../.mcp-gitops/schemas/environment.schema.json',
    );
  });
  test('replaces an existing modeline instead of stacking a second one', () => {
    const text = '# yaml-language-server: $schema=../schemas/server.schema.json\nkind: Server\n';
    assert.equal(
      withModeline(text, 'servers/a.yaml', 'Server'),
      '# yaml-language-server: $schema=../.mcp-gitops/schemas/server.schema.json\nkind: Server\n',
    );
  });
});

describe('scaffold', () => {
  test('repo names are DNS labels', () => {
    assert.equal(repoNameFrom('My Config_Repo!'), 'my-config-repo');
    assert.equal(repoNameFrom('___'), 'mcp-config');
  });

  test('every preset is offered and brings exactly the servers it references', () => {
    assert.deepEqual(listPresets(), ['container-host', 'laptop', 'vm-ssh']);
    const files = buildScaffold('x', readScaffoldSources(listPresets()));
    const paths = files.map((f) => f.path);
    for (const f of [
      'environments/dev.yaml',
      'environments/staging.yaml',
      'servers/memory.yaml',
      'servers/everything.yaml',
      'environments/containers.yaml',
      'servers/everything-container.yaml',
    ])
      assert.ok(paths.includes(f), f);
    for (const f of files.filter((x) => x.path.endsWith('.yaml'))) {
      const first = f.content.split('\n')[0];
      assert.match(first, /^# yaml-language-server: \$schema=\S+\.schema\.json$/, f.path);
      const target = path.posix.join(path.posix.dirname(f.path), first.split('$schema=')[1]);
      assert.ok(paths.includes(target), `${f.path} points at ${target}, which init writes`);
    }
  });

  test('the Repository enables the built-in policies the product ships', () => {
    const files = buildScaffold('x', readScaffoldSources(['laptop']));
    const repo = parse(files.find((f) => f.path === 'mcp-gitops.yaml')!.content);
    assert.equal(repo.spec.branch, 'main');
    assert.deepEqual(repo.spec.policies, ['no-plaintext-secrets', 'pinned-versions', 'require-health-check']);
  });

  test('an unknown preset is a usage error listing the presets', () => {
    assert.throws(() => readScaffoldSources(['nope']), /unknown preset "nope"/);
  });
});

describe('init', () => {
  test('creates a git repo on main with one commit holding every file', async () => {
    const dir = path.join(tmp, 'fresh');
    const prev = { ...process.env };
    Object.assign(process.env, { GIT_AUTHOR_NAME: 'Init Test', GIT_AUTHOR_EMAIL: 'init@example.com' });
    const result = await initRepo(dir, { presets: [], force: false, noGit: false }).finally(() => {
      process.env = prev;
    });
    assert.ok(result.commit);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: gitEnv }).trim();
    assert.equal(git('rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.equal(git('rev-parse', 'HEAD'), result.commit);
    assert.equal(git('log', '-1', '--format=%an <%ae>'), 'Init Test <init@example.com>');
    assert.equal(git('status', '--porcelain'), '', 'nothing left uncommitted or untracked');
    const tracked = git('ls-files').split('\n');
    assert.deepEqual([...tracked].sort(), [...result.written].sort());
  });

  test('in an existing git repo: keeps README/.gitignore, writes the rest, commits nothing', async () => {
    const dir = path.join(tmp, 'has-git');
    fs.mkdirSync(dir);
    execFileSync('git', ['init', '-q', '-b', 'trunk', dir]);
    fs.writeFileSync(path.join(dir, 'README.md'), '# mine\n');
    const result = await initRepo(dir, { presets: [], force: false, noGit: false });
    assert.equal(result.commit, undefined);
    assert.deepEqual(result.kept, ['README.md']);
    assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), '# mine\n');
    assert.ok(fs.existsSync(path.join(dir, '.gitignore')));
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
    assert.equal(git('symbolic-ref', '--short', 'HEAD'), 'trunk', 'the existing repo is left as it was');
    assert.match(git('status', '--porcelain'), /\?\? mcp-gitops\.yaml/);
  });

  test('refuses to overwrite and writes nothing; --force overwrites', async () => {
    const dir = path.join(tmp, 'existing');
    fs.mkdirSync(path.join(dir, 'servers'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'servers', 'memory.yaml'), 'mine\n');
    await assert.rejects(
      initRepo(dir, { presets: [], force: false, noGit: false }),
      (err: Error & { details?: string[] }) => {
        assert.match(err.message, /refusing to overwrite 1 existing file/);
        assert.deepEqual(err.details, ['  exists: servers/memory.yaml']);
        return true;
      },
    );
    assert.deepEqual(fs.readdirSync(dir), ['servers'], 'nothing else was written');
    assert.equal(fs.readFileSync(path.join(dir, 'servers', 'memory.yaml'), 'utf8'), 'mine\n');
    const result = await initRepo(dir, { presets: [], force: true, noGit: true });
    assert.equal(result.commit, undefined);
    assert.ok(!fs.existsSync(path.join(dir, '.git')), '--no-git leaves git alone');
    assert.match(fs.readFileSync(path.join(dir, 'servers', 'memory.yaml'), 'utf8'), /kind: Server/);
  });
});
