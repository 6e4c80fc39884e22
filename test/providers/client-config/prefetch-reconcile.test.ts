/**
 * Install is not start-up, on the real npm registry through the engine's `reconcile()`: a stdio
 * server from npm, on client-config targets whose home is a fresh temp dir (so npx's cache is
 * empty), is fetched during apply and only then verified, with a handshake timeout far below a
 * cold fetch; an unknown version fails with npm's own reason and writes no entry; the fetch runs
 * once per package per run however many clients and targets share the host; plan, drift and a
 * dry run fetch nothing; on an ssh host the fetch and the verification run there, in its home.
 *
 * Needs the npm registry (as the project's installs do). If it cannot be reached the apply fails
 * with npm's reason, which the assertions print; every fetch is bounded by prefetchTimeoutMs.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { planRun } from '../../../src/engine/plan-run.js';
import { reconcile } from '../../../src/engine/reconcile.js';
import type { EngineDeps } from '../../../src/engine/types.js';
import { createLogger } from '../../../src/log/logger.js';
import type { Endpoint } from '../../../src/providers/types.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { requireTools } from '../../helpers/require-tools.js';
import { startSshd } from '../../helpers/sshd.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';

requireTools('sshd', 'ssh');

const PACKAGE = '@modelcontextprotocol/server-memory';
const VERSION: string = JSON.parse(fs.readFileSync('package.json', 'utf8')).devDependencies[PACKAGE];
/** Below a cold fetch of the package (9-30 s here), with room for a start on a busy machine (0.8-4.5 s). */
const HANDSHAKE_MS = 8000;
/** A fetch that cannot finish fails the change well inside the test's own timeout. */
const FETCH_MS = 240_000;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-prefetch-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

interface Sandbox {
  home: string;
  repo: TempRepo;
  logs: { msg: string }[];
  verified: Endpoint[];
  deps: Partial<EngineDeps>;
}

/** A fresh home (empty npm cache) and a config repo whose targets all live in it. */
function sandbox(name: string, version: string, targets: string): Sandbox {
  const home = path.join(base, name);
  fs.mkdirSync(home);
  const repo = createTempRepo(`mcp-gitops-prefetch-${name}-`);
  after(() => repo.cleanup());
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: prefetch }\nspec: { branch: main }\n',
  );
  repo.write(
    'servers/memory.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: memory }\nspec:\n  package: { registryType: npm, identifier: "${PACKAGE}", version: "${version}" }\n  transport: stdio\n  env: { MEMORY_FILE_PATH: "~/memory.jsonl" }\n  health: { expectTools: [read_graph], timeoutMs: ${HANDSHAKE_MS} }\n`,
  );
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata: { name: dev }\nspec:\n  targets:\n${targets.replaceAll('HOME', home)}  servers:\n    - name: memory\n`,
  );
  repo.commitAll('config');
  const logs: Sandbox['logs'] = [];
  const verified: Endpoint[] = [];
  const deps: Partial<EngineDeps> = {
    logger: createLogger({
      level: 'info',
      destination: { write: (line: string) => logs.push(JSON.parse(line)) },
    }),
    verify: async (endpoint, health) => {
      // What the handshake timer starts on: the package must already be in the cache it reads.
      verified.push(endpoint);
      assert.ok(
        npxHas(home, version),
        `verification started before ${PACKAGE}@${version} was in ${home}/.npm/_npx`,
      );
      return verifyServer(endpoint, health);
    },
  };
  return { home, repo, logs, verified, deps };
}

const target = (name: string, clients: string, dir: string) =>
  `    - name: ${name}\n      provider: client-config\n      clients: [${clients}]\n      home: HOME\n      projectDir: ~/src/${dir}\n      prefetchTimeoutMs: ${FETCH_MS}\n`;

/** npx keeps what `npx -y <pkg>` runs in `$HOME/.npm/_npx/<hash>/node_modules`. */
function npxHas(home: string, version: string): boolean {
  const root = path.join(home, '.npm/_npx');
  if (!fs.existsSync(root)) return false;
  return fs.readdirSync(root).some((hash) => {
    const manifest = path.join(root, hash, 'node_modules', PACKAGE, 'package.json');
    return fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).version === version;
  });
}

const fetchLines = (s: Sandbox) => s.logs.filter((l) => l.msg.startsWith('fetching '));

describe('install is not start-up (client-config, real npm)', { timeout: 600_000 }, () => {
  test('an empty npm cache: fetched once for two targets and five clients, then verified and Ready', async () => {
    const s = sandbox(
      'cold',
      VERSION,
      target('laptop', 'claude-code, cursor, vscode', 'app') + target('desk', 'codex, gemini-cli', 'desk'),
    );
    assert.equal(npxHas(s.home, VERSION), false);

    // plan, drift (the same observe + diff) and a dry run touch no package cache.
    const { plan } = await planRun({ repoDir: s.repo.dir, deps: s.deps });
    assert.equal(plan.summary.create, 2);
    const dry = await reconcile({ repoDir: s.repo.dir, dryRun: true, deps: s.deps });
    assert.equal(dry.dryRun, true);
    assert.equal(fs.existsSync(path.join(s.home, '.npm')), false, 'planning fetched something');
    assert.deepEqual(fetchLines(s), []);

    const run = await reconcile({ repoDir: s.repo.dir, deps: s.deps });
    for (const t of run.targets) {
      assert.deepEqual(
        t.results.map((r) => [r.server, r.outcome]),
        [['memory', 'applied']],
        `${t.target}: ${JSON.stringify(t.results)}`,
      );
      const check = t.verified.get('memory');
      assert.equal(check?.health, 'healthy', `${t.target}: ${JSON.stringify(check)}`);
      assert.equal(check?.toolCount, 9);
    }
    assert.equal(run.failed, false);
    for (const report of run.reports ?? []) {
      assert.equal(report.conditions.find((c) => c.type === 'Ready')?.status, 'True', JSON.stringify(report));
    }
    // One fetch for the package however many targets and clients on the host; its progress line.
    const lines = fetchLines(s).map((l) => l.msg);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0]!,
      new RegExp(`^fetching ${PACKAGE}@${VERSION} into the npm cache on (laptop|desk)$`),
    );
    assert.ok(s.logs.some((l) => l.msg.startsWith(`fetched ${PACKAGE}@${VERSION} into the npm cache`)));
    // Verification launched what the clients launch, where the fetch put it.
    assert.equal(s.verified.length, 2);
    for (const endpoint of s.verified) {
      assert.equal(endpoint.kind, 'stdio');
      if (endpoint.kind !== 'stdio') continue;
      assert.deepEqual([endpoint.command, ...endpoint.args], ['npx', '-y', `${PACKAGE}@${VERSION}`]);
      assert.equal(endpoint.env.HOME, s.home);
      assert.equal(endpoint.cwd, s.home);
    }
    const claude = JSON.parse(fs.readFileSync(path.join(s.home, 'src/app/.mcp.json'), 'utf8'));
    assert.deepEqual(claude.mcpServers.memory.args, ['-y', `${PACKAGE}@${VERSION}`]);
    assert.match(fs.readFileSync(path.join(s.home, '.codex/config.toml'), 'utf8'), /\[mcp_servers\.memory\]/);

    // The next run checks again (a cache can be cleaned between runs), once: both entries edited
    // by hand are repaired, one fetch.
    for (const file of ['src/app/.mcp.json', 'src/desk/.gemini/settings.json']) {
      const doc = JSON.parse(fs.readFileSync(path.join(s.home, file), 'utf8'));
      doc.mcpServers.memory.env.MEMORY_FILE_PATH = '/tmp/hand-edited.jsonl';
      fs.writeFileSync(path.join(s.home, file), JSON.stringify(doc));
    }
    const again = await reconcile({ repoDir: s.repo.dir, deps: s.deps });
    assert.equal(again.failed, false, JSON.stringify(again.targets.map((t) => t.results)));
    assert.deepEqual(
      again.targets.map((t) => t.results.map((r) => r.outcome)),
      [['applied'], ['applied']],
    );
    assert.equal(fetchLines(s).length, 2);
  });

  test('on an ssh host: fetched there into the target home, then verified there', async (t) => {
    const sshd = await startSshd(t);
    const s = sandbox(
      'ssh',
      VERSION,
      `${target('vm', 'claude-code', 'app')}      host: ${sshd.url}\n      identityFile: { ref: "file:${sshd.identityFile}" }\n      knownHosts: ${sshd.knownHosts}\n`,
    );
    const run = await reconcile({ repoDir: s.repo.dir, deps: s.deps });
    const [vm] = run.targets;
    assert.deepEqual(
      vm?.results.map((r) => r.outcome),
      ['applied'],
      JSON.stringify(vm?.results),
    );
    assert.equal(vm?.verified.get('memory')?.health, 'healthy', JSON.stringify(vm?.verified.get('memory')));
    assert.deepEqual(
      fetchLines(s).map((l) => l.msg),
      [`fetching ${PACKAGE}@${VERSION} into the npm cache on vm (${sshd.url})`],
    );
    const [endpoint] = s.verified;
    assert.ok(endpoint?.kind === 'stdio');
    assert.equal(endpoint.command, 'ssh');
    // The command ssh runs there starts in the target home (its HOME is in the sourced env file).
    assert.match(endpoint.args.join(' '), new RegExp(`cd -- '?${s.home}'?`));
  });

  test('an unknown version fails with npm’s reason before anything is written or verified', async () => {
    const s = sandbox('unknown', '9999.0.0', target('laptop', 'claude-code, cursor', 'app'));
    const run = await reconcile({ repoDir: s.repo.dir, deps: s.deps });
    assert.equal(run.failed, true);
    const [result] = run.targets[0]!.results;
    assert.equal(result?.outcome, 'failed', JSON.stringify(result));
    assert.equal(
      result?.message,
      `npm could not fetch ${PACKAGE}@9999.0.0: No matching version found for ${PACKAGE}@9999.0.0 (ETARGET)`,
    );
    assert.deepEqual(s.verified, [], 'nothing to verify: no handshake, so no timeout');
    for (const file of ['src/app/.mcp.json', 'src/app/.cursor/mcp.json']) {
      const abs = path.join(s.home, file);
      const servers = fs.existsSync(abs) ? JSON.parse(fs.readFileSync(abs, 'utf8')).mcpServers : {};
      assert.equal(servers?.memory, undefined, `${file} has an entry`);
    }
    assert.match(run.reports?.[0]?.conditions.map((c) => c.message).join('\n') ?? '', /ETARGET/);
  });
});
