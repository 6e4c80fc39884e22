/**
 * The validated-config cache (src/config-cache) on real git repositories: a hit rebuilds exactly
 * what validating the commit gives (config, diagnostics, positions, desired state, warnings); a
 * changed file, another build, other limits or a damaged entry are misses that validate again.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { LoadResult } from '../../src/config/load-config.js';
import { MAX_ENTRIES } from '../../src/config-cache/cache-store.js';
import { validateRevisionTraced } from '../../src/config-cache/validate-revision.js';
import { loadDesired } from '../../src/engine/load-desired.js';
import { runValidation } from '../../src/validate/run-validation.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

const server = (name: string, version: string, extra = '') => `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: ${name}, labels: { team: a } }
spec:
  package: { registryType: npm, identifier: "@modelcontextprotocol/server-memory", version: "${version}" }
  transport: stdio
  env: { DATA: "{{vars.dataDir}}/${name}" }
  secrets: [{ name: TOKEN, ref: "env:${name.toUpperCase()}_TOKEN" }]
  health: { expectTools: [read_graph] }
${extra}`;

function writeConfig(repo: TempRepo): void {
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: t }\nspec:\n  branch: main\n  policies: [pinned-versions, require-health-check]\n',
  );
  repo.write('servers/memory.yaml', server('memory', '2026.8.31'));
  repo.write('servers/notes.yaml', `${server('notes', '2026.8.31')}---\n${server('extra', '2026.8.31')}`);
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev, labels: { tier: dev } }
spec:
  vars: { dataDir: ~/data }
  targets: [{ name: laptop, provider: client-config, clients: [cursor] }]
  servers: [{ name: memory }, { name: notes, overrides: { env: { LOG: debug } } }, { name: extra }]
`,
  );
  // A warning for every server, located in its file: diagnostics with positions to compare.
  repo.write(
    'policies/describe.yaml',
    `apiVersion: mcp-gitops/v1
kind: Policy
metadata: { name: describe-servers }
spec:
  severity: warning
  message: Servers should say what they are for
  match: { kinds: [Server] }
  assert: { properties: { spec: { required: [description] } } }
`,
  );
  repo.write('.github/workflows/ci.yaml', 'on: push\njobs: {}\n');
}

/** Everything a load result holds, the locators asked where a few fields are. */
function comparable({ config, diagnostics }: LoadResult) {
  const paths: (string | number)[][] = [
    [],
    ['kind'],
    ['metadata', 'name'],
    ['spec', 'package', 'version'],
    ['spec', 'servers', 1],
  ];
  return {
    diagnostics,
    files: config.files,
    root: config.root,
    source: config.source,
    revision: config.revision,
    documents: config.documents.map(({ locate, ...doc }) => ({
      ...doc,
      at: paths.flatMap((p) => [locate(p), locate(p, 'key')]),
    })),
    kinds: [
      config.repository,
      ...config.servers,
      ...config.environments,
      ...config.policies,
      ...config.hooks,
    ].map((d) => d && config.documents.indexOf(d)),
  };
}

const cacheDir = (repo: TempRepo) => join(repo.dir, '.git', 'mcp-gitops', 'config-cache');
const entries = (repo: TempRepo) => fs.readdirSync(cacheDir(repo)).filter((f) => f.endsWith('.v8'));

let repo: TempRepo;
let commit: string;
before(() => {
  repo = createTempRepo();
  writeConfig(repo);
  commit = repo.commitAll('config');
});
after(() => repo.cleanup());

test('a hit rebuilds exactly what validating the commit gives, positions included', async () => {
  const fresh = await runValidation({ root: repo.dir, source: 'revision', rev: commit });
  assert.ok(
    fresh.diagnostics.some((d) => d.severity === 'warning'),
    'the config has warnings to compare',
  );
  const first = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b1' });
  const second = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b1' });
  assert.deepEqual([first.cache, second.cache], ['miss', 'hit']);
  assert.deepEqual(comparable(second.result), comparable(fresh));
  assert.deepEqual(comparable(first.result), comparable(fresh));
});

test('loadDesired through the cache: the same desired state, warnings and labels, hit or not', async () => {
  const env = process.env.MCP_GITOPS_CONFIG_CACHE;
  try {
    process.env.MCP_GITOPS_CONFIG_CACHE = '0';
    const off = await loadDesired({ repoDir: repo.dir });
    process.env.MCP_GITOPS_CONFIG_CACHE = '1';
    fs.rmSync(cacheDir(repo), { recursive: true, force: true });
    const miss = await loadDesired({ repoDir: repo.dir });
    assert.equal(entries(repo).length, 1);
    const hit = await loadDesired({ repoDir: repo.dir });
    for (const loaded of [miss, hit]) {
      assert.deepEqual(loaded.desired, off.desired);
      assert.deepEqual(loaded.warnings, off.warnings);
      assert.equal(loaded.revision, off.revision);
      assert.deepEqual(loaded.environmentLabels, off.environmentLabels);
      const where = (l: typeof off) => [
        l.sources.target('dev', 'laptop'),
        l.sources.field('dev', 'notes', ['env', 'LOG']),
        l.sources.secret('dev', 'memory', 'TOKEN'),
      ];
      assert.deepEqual(where(loaded), where(off));
      assert.ok(where(off).every((at) => at !== undefined && at.line > 1));
    }
    // The desired state is cached per --env / --target selection: another selection is its own entry.
    const offSelected = await (async () => {
      process.env.MCP_GITOPS_CONFIG_CACHE = '0';
      return loadDesired({ repoDir: repo.dir, environment: 'dev', target: 'laptop' });
    })();
    process.env.MCP_GITOPS_CONFIG_CACHE = '1';
    for (let i = 0; i < 2; i++) {
      const selected = await loadDesired({ repoDir: repo.dir, environment: 'dev', target: 'laptop' });
      assert.deepEqual(selected.desired, offSelected.desired);
    }
    assert.equal(entries(repo).length, 2);
    // The uncommitted-config warning reads the working tree every time, hit or not.
    repo.write('servers/memory.yaml', server('memory', '2026.9.1'));
    const edited = await loadDesired({ repoDir: repo.dir });
    assert.ok(edited.warnings.some((w) => w.rule === 'uncommitted' && w.file === 'servers/memory.yaml'));
    repo.git('checkout', '--', 'servers/memory.yaml');
  } finally {
    if (env === undefined) delete process.env.MCP_GITOPS_CONFIG_CACHE;
    else process.env.MCP_GITOPS_CONFIG_CACHE = env;
  }
});

test('a changed file is a new tree: its error is found, and found again from the cache', async () => {
  const other = createTempRepo();
  try {
    writeConfig(other);
    const good = other.commitAll('config');
    assert.equal(
      (await validateRevisionTraced({ root: other.dir, commit: good, buildId: 'b1' })).cache,
      'miss',
    );
    other.write('servers/memory.yaml', server('memory', '2026.8.31', '  dependsOn: [missing-server]\n'));
    const bad = other.commitAll('break it');
    const fresh = await runValidation({ root: other.dir, source: 'revision', rev: bad });
    const errors = fresh.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(
      errors.length > 0 && errors.every((e) => e.file === 'servers/memory.yaml'),
      JSON.stringify(errors),
    );
    const miss = await validateRevisionTraced({ root: other.dir, commit: bad, buildId: 'b1' });
    const hit = await validateRevisionTraced({ root: other.dir, commit: bad, buildId: 'b1' });
    assert.deepEqual([miss.cache, hit.cache], ['miss', 'hit']);
    assert.deepEqual(hit.result.diagnostics, fresh.diagnostics);
    assert.deepEqual(comparable(hit.result), comparable(fresh));
    // The good commit's entry is still its own.
    const again = await validateRevisionTraced({ root: other.dir, commit: good, buildId: 'b1' });
    assert.equal(again.cache, 'hit');
    assert.ok(!again.result.diagnostics.some((d) => d.severity === 'error'));
  } finally {
    other.cleanup();
  }
});

test('a commit with the same tree (a report commit, a rebase) hits, and carries its own id', async () => {
  await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b1' });
  repo.git('commit', '-q', '--allow-empty', '-m', 'reconcile(dev): 0 changed');
  const next = repo.git('rev-parse', 'HEAD');
  const traced = await validateRevisionTraced({ root: repo.dir, commit: next, buildId: 'b1' });
  assert.equal(traced.cache, 'hit');
  assert.equal(traced.result.config.revision, next);
  const fresh = await runValidation({ root: repo.dir, source: 'revision', rev: next });
  assert.deepEqual(comparable(traced.result), comparable(fresh));
});

test('another build id, other size limits, or the cache turned off: never served from the cache', async () => {
  await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b1' });
  assert.equal((await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b2' })).cache, 'miss');
  assert.equal(
    (await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b1', maxFileBytes: 1000 })).cache,
    'miss',
  );
  assert.equal((await validateRevisionTraced({ root: repo.dir, commit, buildId: null })).cache, 'off');
  const env = process.env.MCP_GITOPS_CONFIG_CACHE;
  try {
    process.env.MCP_GITOPS_CONFIG_CACHE = '0';
    assert.equal((await validateRevisionTraced({ root: repo.dir, commit })).cache, 'off');
    // From the sources, the cache is off unless asked for (hashing the sources costs more than it saves).
    delete process.env.MCP_GITOPS_CONFIG_CACHE;
    assert.equal((await validateRevisionTraced({ root: repo.dir, commit })).cache, 'off');
  } finally {
    if (env === undefined) delete process.env.MCP_GITOPS_CONFIG_CACHE;
    else process.env.MCP_GITOPS_CONFIG_CACHE = env;
  }
});

test('a corrupted, truncated or foreign entry is a miss with the right result, and is rewritten', async () => {
  const fresh = comparable(await runValidation({ root: repo.dir, source: 'revision', rev: commit }));
  fs.rmSync(cacheDir(repo), { recursive: true, force: true });
  await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b3' });
  const [name] = entries(repo);
  const file = join(cacheDir(repo), name!);
  const good = fs.readFileSync(file);
  const damages: [string, Buffer][] = [
    ['one payload byte flipped', Buffer.from(good.map((b, i) => (i === good.length - 10 ? b ^ 0xff : b)))],
    ['truncated', good.subarray(0, good.length - 100)],
    ['header only', good.subarray(0, good.indexOf(0x0a, 30) + 1)],
    ['empty', Buffer.alloc(0)],
    ['not an entry', Buffer.from('hello\n{"format":1}\n')],
  ];
  for (const [why, bytes] of damages) {
    fs.writeFileSync(file, bytes);
    const traced = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b3' });
    assert.equal(traced.cache, 'miss', why);
    assert.deepEqual(comparable(traced.result), fresh, why);
    assert.deepEqual(fs.readFileSync(file), good, `${why}: rewritten`);
    assert.equal((await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b3' })).cache, 'hit', why);
  }
});

test('entries are private files, at most MAX_ENTRIES, and an unwritable git dir just means no cache', async () => {
  fs.rmSync(cacheDir(repo), { recursive: true, force: true });
  for (let i = 0; i < MAX_ENTRIES + 2; i++)
    await validateRevisionTraced({ root: repo.dir, commit, buildId: `n${i}` });
  assert.equal(entries(repo).length, MAX_ENTRIES);
  assert.equal(fs.statSync(cacheDir(repo)).mode & 0o777, 0o700);
  assert.equal(fs.statSync(join(repo.dir, '.git', 'mcp-gitops')).mode & 0o777, 0o700);
  for (const name of entries(repo)) assert.equal(fs.statSync(join(cacheDir(repo), name)).mode & 0o777, 0o600);
  // The newest survive.
  assert.equal(
    (await validateRevisionTraced({ root: repo.dir, commit, buildId: `n${MAX_ENTRIES + 1}` })).cache,
    'hit',
  );

  // A cache folder that cannot be made (here: a file in its place) is no cache, and no error.
  fs.rmSync(join(repo.dir, '.git', 'mcp-gitops'), { recursive: true, force: true });
  fs.writeFileSync(join(repo.dir, '.git', 'mcp-gitops'), 'not a folder');
  try {
    const fresh = comparable(await runValidation({ root: repo.dir, source: 'revision', rev: commit }));
    for (let i = 0; i < 2; i++) {
      const traced = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b4' });
      assert.equal(traced.cache, 'miss');
      assert.deepEqual(comparable(traced.result), fresh);
    }
  } finally {
    fs.rmSync(join(repo.dir, '.git', 'mcp-gitops'), { force: true });
  }
});

test('a folder that others can write to is not read from', async () => {
  fs.rmSync(cacheDir(repo), { recursive: true, force: true });
  await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b5' });
  fs.chmodSync(cacheDir(repo), 0o777);
  try {
    assert.equal((await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b5' })).cache, 'miss');
  } finally {
    fs.chmodSync(cacheDir(repo), 0o700);
  }
  assert.equal((await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b5' })).cache, 'hit');
});

test('a derived value is cached with the result, per its key, and computed only on a miss', async () => {
  let computed = 0;
  const derive = (key: string) => ({
    key,
    compute: ({ config }: LoadResult) => {
      computed++;
      const names = config.servers.map((d) => d.name);
      return { key, names, first: config.servers[0]?.value, byName: new Map(names.map((n, i) => [n, i])) };
    },
  });
  const miss = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b6', derive: derive('a') });
  const hit = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b6', derive: derive('a') });
  assert.deepEqual([miss.cache, hit.cache, computed], ['miss', 'hit', 1]);
  assert.deepEqual(hit.derived, miss.derived);
  // Shared with the documents before, shared again after.
  assert.equal(hit.derived?.first, hit.result.config.servers[0]?.value);
  const other = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b6', derive: derive('b') });
  assert.deepEqual([other.cache, other.derived?.key, computed], ['miss', 'b', 2]);
  const plain = await validateRevisionTraced({ root: repo.dir, commit, buildId: 'b6' });
  assert.deepEqual([plain.cache, plain.derived], ['miss', undefined]);
});
