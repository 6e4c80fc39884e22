/**
 * The real-client tier: the files mcp-gitops writes are read by the real MCP clients, which connect.
 *
 * For each client in recipes.ts (installed from npm at a pinned version into the cache keyed by
 * package@version, see test/helpers/client-clis.ts; `.ci/run` fills it, or the first run does), in
 * a sandboxed HOME, with no login, no model call, telemetry and update checks off and API bases on
 * a dead loopback port:
 *   1. the real CLI (`mcp-gitops reconcile`) on a real git config repo, with a client-config
 *      target `home: <sandbox>`, `clients: [<id>]`, writes three servers into the client's own
 *      file: `memory` (stdio, node server-memory), `everything` (server-everything over streamable
 *      HTTP on a free loopback port, stopped by PID after) and `vault` (stdio, with a secret
 *      reference whose variable is set for the client; the value never appears in the file);
 *   2. the client lists its servers and says each is connected (Copilot CLI, which connects
 *      nothing without a GitHub login, must list each one);
 *   3. entries added by hand to the client's file (after the client itself may have rewritten
 *      the file) survive a second reconcile, mcp-gitops's entries are unchanged, and the client
 *      connects to ours and the user's `mine`, but not to `dead` (a script that does not exist:
 *      the control that shows the status parsing can tell the difference).
 * Every client run is bounded and its process group killed after, so no daemon outlives it.
 *
 * Clients with adapters that cannot run here (skipped, with the reason printed):
 *   - crush: the npm package is a wrapper whose postinstall downloads the binary from github.com.
 *   - cline-cli: no list command (its TUI status view rewrites the config); leaves a hub daemon.
 *   - augment: `auggie mcp list` shows ✓ for every enabled server, reachable or not.
 *   - continue: no list command (status only in the TUI under a pty); looks up api.continue.dev.
 *   - goose, kimi, mistral-vibe, amazon-q: not on npm (a GitHub release binary, Python packages,
 *     an AWS download).
 * The editor clients (Cursor, VS Code, Windsurf, Claude Desktop, ...) have no CLI on npm.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { clientIds } from '../../src/clients/registry.js';
import { cliRunner } from '../helpers/cli.js';
import { ensureClient } from '../helpers/client-clis.js';
import { serverBin, startEverythingHttp } from '../helpers/mcp-servers.js';
import { createTempRepo } from '../helpers/temp-repo.js';
import { type ClientRecipe, RECIPES, type Statuses, UNRUNNABLE } from './recipes.js';

const NODE = process.execPath;
const MEMORY = serverBin('memory');
const SECRET_VAR = 'MCP_REAL_CLIENT_SECRET';
const CANARY = `real-client-canary-${randomUUID()}`;
const MANAGED = ['memory', 'everything', 'vault'];
/** One client command (list, doctor, app-server probe). */
const PROBE_MS = 90_000;

function configRepo(recipe: ClientRecipe, home: string, url: string) {
  const repo = createTempRepo('mcp-gitops-real-client-');
  repo.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: real-clients }\nspec: { branch: main }\n',
  );
  const stdio = (name: string, extra = '') => `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: ${name} }
spec:
  command: { path: ${JSON.stringify(NODE)}, args: [${JSON.stringify(MEMORY)}] }
  transport: stdio
  env: { MEMORY_FILE_PATH: ${JSON.stringify(join(home, `${name}.jsonl`))} }
${extra}`;
  repo.write('servers/memory.yaml', stdio('memory'));
  repo.write(
    'servers/vault.yaml',
    stdio('vault', `  secrets: [{ name: ${SECRET_VAR}, ref: "env:${SECRET_VAR}" }]\n`),
  );
  repo.write(
    'servers/everything.yaml',
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata: { name: everything }\nspec:\n  remote: { url: "${url}" }\n  transport: streamable-http\n`,
  );
  repo.write(
    'environments/dev.yaml',
    `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: dev }
spec:
  targets:
    - name: laptop
      provider: client-config
      clients: [${recipe.id}]
      home: ${JSON.stringify(home)}
  servers: [{ name: memory }, { name: everything }, { name: vault }]
`,
  );
  repo.commitAll('three servers for a real client');
  return repo;
}

function describeStatuses(statuses: Statuses, output: string): string {
  return `statuses: ${JSON.stringify([...statuses])}\nclient output:\n${output}`;
}

/** `MCP_GITOPS_REAL_CLIENTS=claude-code,codex` runs only those (all of them by default). */
const only = process.env.MCP_GITOPS_REAL_CLIENTS?.split(',').map((s) => s.trim());
for (const recipe of RECIPES.filter((r) => !only || only.includes(r.id))) {
  test(`${recipe.id} (${recipe.install.pkg}@${recipe.install.version}) reads what mcp-gitops wrote and ${recipe.expect === 'connected' ? 'connects' : 'lists it'}`, {
    timeout: 900_000,
  }, async (t) => {
    const bin = ensureClient(recipe.install, (line) => t.diagnostic(line));
    const sandbox = realpathSync(mkdtempSync(join(tmpdir(), `mcp-gitops-rc-${recipe.id}-`)));
    t.after(() => rmSync(sandbox, { recursive: true, force: true }));
    const home = join(sandbox, 'home');
    const cwd = join(home, 'work');
    mkdirSync(cwd, { recursive: true });
    recipe.prepare?.(home, cwd);

    const http = await startEverythingHttp(t);
    const repo = configRepo(recipe, home, http.url);
    t.after(() => repo.cleanup());
    const cli = cliRunner({
      HOME: home,
      MCP_GITOPS_HOME: join(sandbox, 'mcp-gitops'),
      NO_COLOR: '1',
      [SECRET_VAR]: CANARY,
    });
    const clientEnv: Record<string, string> = {
      PATH: [dirname(NODE), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      HOME: home,
      TMPDIR: sandbox,
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      [SECRET_VAR]: CANARY,
      ...recipe.env,
    };
    const file = join(home, recipe.file);
    const probe = async (names: readonly string[]) => {
      const ask = () => recipe.probe({ bin, home, cwd, env: clientEnv, timeoutMs: PROBE_MS });
      let { statuses, output } = await ask();
      // A client's own connect timeout (opencode: 5 s) can expire on a loaded CI machine: one
      // more look, the first one's answer printed; what the second says is asserted.
      if (names.some((name) => statuses.get(name) !== recipe.expect)) {
        t.diagnostic(`${recipe.id}: asking again after ${describeStatuses(statuses, '')}`);
        assert.ok(!output.includes(CANARY), `${recipe.id} printed the secret value`);
        ({ statuses, output } = await ask());
      }
      for (const name of names) {
        assert.equal(
          statuses.get(name),
          recipe.expect,
          `${recipe.id}: ${name}\n${describeStatuses(statuses, output)}`,
        );
      }
      assert.ok(!output.includes(CANARY), `${recipe.id} printed the secret value`);
      t.diagnostic(`${recipe.id}: ${[...statuses].map(([n, s]) => `${n} ${s}`).join(', ')}`);
      return statuses;
    };

    // 1. mcp-gitops writes the three servers into the client's file.
    const first = await cli.run(['--repo', repo.dir, 'reconcile']);
    assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`);
    const written = readFileSync(file, 'utf8');
    assert.ok(!written.includes(CANARY), 'the secret value is in the client file');
    const entries = recipe.entries(written);
    for (const name of MANAGED) assert.ok(entries[name], `${name} is not in ${recipe.file}:\n${written}`);
    assert.match(JSON.stringify(entries.vault), new RegExp(SECRET_VAR), 'vault names its variable');

    // 2. The client reads them and connects (or lists them).
    await probe(MANAGED);

    // 3. An entry of the user's own survives a reconcile; ours are unchanged.
    const before = readFileSync(file, 'utf8');
    const mine = { command: NODE, args: [MEMORY] };
    // And a control: a server whose script does not exist must not read as connected.
    const dead = { command: NODE, args: [join(sandbox, 'no-such-server.js')] };
    writeFileSync(file, recipe.addByHand(recipe.addByHand(before, 'mine', mine), 'dead', dead));
    const handEntries = recipe.entries(readFileSync(file, 'utf8'));
    assert.ok(handEntries.mine && handEntries.dead, 'the hand-added entries are in the file');
    const second = await cli.run(['--repo', repo.dir, 'reconcile']);
    assert.equal(second.code, 0, `${second.stdout}\n${second.stderr}`);
    const after = recipe.entries(readFileSync(file, 'utf8'));
    assert.deepEqual(after.mine, handEntries.mine, 'the hand-added entry changed');
    assert.deepEqual(after.dead, handEntries.dead, 'the second hand-added entry changed');
    for (const name of MANAGED)
      assert.deepEqual(after[name], recipe.entries(before)[name], `${name} changed`);
    const statuses = await probe([...MANAGED, 'mine']);
    if (recipe.expect === 'connected') {
      assert.ok(statuses.has('dead'), `${recipe.id} did not report the dead server`);
      assert.notEqual(statuses.get('dead'), 'connected', `${recipe.id} calls a dead server connected`);
    } else {
      assert.equal(statuses.get('dead'), 'listed');
    }

    for (const out of cli.transcript) assert.ok(!out.includes(CANARY), 'mcp-gitops printed the secret value');
  });
}

test('every recipe and every client not run here names a registered adapter, once', () => {
  const ids = [...RECIPES.map((r) => r.id), ...UNRUNNABLE.map((u) => u.id)];
  assert.deepEqual(
    ids.filter((id) => !clientIds().includes(id as never)),
    [],
  );
  assert.equal(new Set(ids).size, ids.length);
});

for (const client of UNRUNNABLE) {
  test(`${client.id}: not run here`, { skip: `${client.id} cannot run here: ${client.why}` }, () => {});
}
