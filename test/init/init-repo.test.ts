import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { buildScaffold, repoNameFrom, type ScaffoldContext } from '../../src/init/build-scaffold.js';
import { initRepo } from '../../src/init/init-repo.js';
import { listPresets } from '../../src/init/list-presets.js';
import { productRoot } from '../../src/init/product-paths.js';
import { readScaffoldSources } from '../../src/init/read-scaffold-sources.js';
import { schemaRef, withModeline } from '../../src/init/schema-modeline.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-init-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const context = {
  cli: { kind: 'path', command: 'mcp-gitops', install: [] },
  version: '0.1.0',
} as const satisfies ScaffoldContext;

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
    assert.deepEqual(listPresets(), ['container-host', 'kubernetes', 'laptop', 'vm-ssh']);
    const files = buildScaffold('x', readScaffoldSources(listPresets()), context);
    const paths = files.map((f) => f.path);
    for (const f of [
      'environments/dev.yaml',
      'environments/staging.yaml',
      'servers/memory.yaml',
      'servers/everything.yaml',
      'environments/containers.yaml',
      'servers/everything-container.yaml',
      'environments/cluster.yaml',
      'servers/everything-kubernetes.yaml',
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
    const files = buildScaffold('x', readScaffoldSources(['laptop']), context);
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

describe('init never scaffolds inside mcp-gitops itself', () => {
  test('a folder in the checkout is refused with a hint, and nothing is written', async (t) => {
    const inside = path.join(productRoot(), `.tmp-init-refused-${process.pid}`);
    t.after(() => fs.rmSync(inside, { recursive: true, force: true }));
    await assert.rejects(
      initRepo(inside, { presets: [], force: true, noGit: true }),
      (err: Error & { code?: string; hint?: string }) => {
        assert.equal(err.code, 'ERR_USAGE');
        assert.match(
          err.message,
          /refusing to create a config repo in .*inside mcp-gitops's own source checkout/,
        );
        assert.match(
          err.hint ?? '',
          /nothing was written.*Run init from another folder, e\.g\. `cd ~ && .* init my-mcp`/,
        );
        return true;
      },
    );
    assert.ok(!fs.existsSync(inside), 'no folder was created');
  });

  test('the checkout itself is refused even with --force, so its README is never overwritten', async () => {
    const readme = fs.readFileSync(path.join(productRoot(), 'README.md'), 'utf8');
    await assert.rejects(initRepo(productRoot(), { presets: [], force: true, noGit: true }), /refusing/);
    assert.equal(fs.readFileSync(path.join(productRoot(), 'README.md'), 'utf8'), readme);
  });

  test('a folder next to the checkout is fine', async () => {
    const dir = path.join(tmp, 'beside');
    const result = await initRepo(dir, { presets: [], force: false, noGit: true });
    assert.ok(result.written.includes('mcp-gitops.yaml'));
  });
});

describe('the generated README', () => {
  const readme = (cli: ScaffoldContext['cli']) =>
    buildScaffold('x', readScaffoldSources(['laptop']), { cli, version: '1.2.3' }).find(
      (f) => f.path === 'README.md',
    )!.content;

  test('links to no npm page and says how to install from the repository', () => {
    const text = readme({ kind: 'path', command: 'mcp-gitops', install: [] });
    assert.doesNotMatch(text, /npmjs|npx/);
    assert.match(text, /not published to npm/);
    assert.match(text, /`npm install -g \.\/mcp-gitops-1\.2\.3\.tgz` \(or `npm link`\)/);
    assert.match(text, /^mcp-gitops validate +# check every file/m);
    assert.match(text, /^mcp-gitops reconcile --env dev +# apply/m);
  });

  test('names npx when that is how the user runs it in their project', () => {
    const text = readme({ kind: 'npx', command: 'npx mcp-gitops', install: ['x'] });
    assert.match(text, /^npx mcp-gitops validate +#/m);
    assert.match(text, /^npx mcp-gitops plan --env dev +#/m);
  });

  test('a machine-specific node path is named once, in a note, not in every command', () => {
    const text = readme({ kind: 'node', command: 'node /opt/mcp-gitops/bin/mcp-gitops.js', install: ['x'] });
    assert.match(text, /^mcp-gitops validate +#/m);
    assert.equal(text.split('/opt/mcp-gitops/bin/mcp-gitops.js').length - 1, 1);
    assert.match(
      text,
      /created by running `node \/opt\/mcp-gitops\/bin\/mcp-gitops\.js`: until `mcp-gitops` is on your PATH/,
    );
  });
});
