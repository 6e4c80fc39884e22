/**
 * Backups of what an apply replaces live in mcp-gitops's state folder on the target's host, never
 * beside the user's file: through the real provider apply, on the local host and on a real sshd.
 * A stale `*.mcp-gitops.bak` an older version left beside a file goes on the next write, with a log
 * line, and each file keeps only its last few versions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { describe, test } from 'node:test';
import { STALE_BACKUP_SUFFIX } from '../../../src/hosts/local-host.js';
import { SshHost } from '../../../src/hosts/ssh/ssh-host.js';
import { createLogger } from '../../../src/log/logger.js';
import { BACKUPS_KEPT, backupFolderName } from '../../../src/providers/client-config/backup-index.js';
import { clientConfigProvider as provider } from '../../../src/providers/client-config/index.js';
import { requireTools } from '../../helpers/require-tools.js';
import { startSshd } from '../../helpers/sshd.js';
import { change, desired, type Fixture, listFiles, makeFixture } from './fixture.js';

requireTools('sshd', 'ssh');

const STATE = '.local/state/mcp-gitops';
const MCP_JSON = 'src/app/.mcp.json';
const USER = '{\n    "mcpServers": {\n        "mine": { "command": "my-server" }\n    }\n}\n';

const memory = (version: string) =>
  desired('memory', {
    transport: 'stdio',
    package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version },
  });

/** A fixture whose `.mcp.json` has a stale backup beside it, logging info lines into `logs`. */
async function setup(): Promise<{ fx: Fixture; logs: Record<string, unknown>[] }> {
  const fx = await makeFixture(
    { clients: ['claude-code'] },
    { [MCP_JSON]: USER, [`${MCP_JSON}${STALE_BACKUP_SUFFIX}`]: 'from an older mcp-gitops' },
  );
  const logs: Record<string, unknown>[] = [];
  fx.ctx.logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { fx, logs };
}

async function backupIndex(fx: Fixture, rel: string): Promise<{ path: string; backups: { file: string }[] }> {
  const folder = `${STATE}/backups/${backupFolderName(fx.file(rel))}`;
  return JSON.parse(await fx.read(`${folder}/index.json`)) as { path: string; backups: { file: string }[] };
}

async function newestBackup(fx: Fixture, rel: string): Promise<string> {
  const index = await backupIndex(fx, rel);
  return fx.read(`${STATE}/backups/${backupFolderName(fx.file(rel))}/${index.backups.at(-1)!.file}`);
}

/** The create every host runs: the stale backup goes (logged), the replaced text is in the state folder. */
async function createAndCheck(fx: Fixture, logs: Record<string, unknown>[]): Promise<void> {
  const created = await provider.apply(fx.ctx, change('create', memory('2026.8.31')));
  assert.equal(created.outcome, 'applied', created.message);
  const files = await listFiles(fx.home);
  assert.deepEqual(
    files.filter((f) => !f.startsWith(`${STATE}/`)),
    [MCP_JSON],
    'no backup, stale or new, beside the file',
  );
  assert.deepEqual(
    files.filter((f) => f.startsWith(`${STATE}/inventory/`)),
    [`${STATE}/inventory/dev/laptop.json`],
    'no backup beside the inventory either',
  );
  const index = await backupIndex(fx, MCP_JSON);
  assert.equal(index.path, fx.file(MCP_JSON), 'the index names the file its versions belong to');
  assert.equal(index.backups.length, 1);
  assert.equal(await newestBackup(fx, MCP_JSON), USER, 'the backup is what the apply replaced');
  const folder = fx.file(`${STATE}/backups/${backupFolderName(fx.file(MCP_JSON))}`);
  assert.equal((await fs.stat(folder)).mode & 0o777, 0o700);
  for (const f of await fs.readdir(folder)) {
    assert.equal((await fs.stat(`${folder}/${f}`)).mode & 0o777, 0o600, `${f} is private`);
  }
  const stale = logs.filter((l) => String(l.msg).includes(STALE_BACKUP_SUFFIX));
  assert.equal(stale.length, 1, 'one log line says the stale backup was removed');
  assert.match(
    String(stale[0]!.msg),
    new RegExp(
      `^removed .*/src/app/\\.mcp\\.json\\.mcp-gitops\\.bak, .* backups now live in .*/${STATE}/backups/`,
    ),
  );
}

describe('backups live in the state folder', () => {
  test('local host: a create leaves no backup beside the file; versions are kept, the oldest pruned', async (t) => {
    const { fx, logs } = await setup();
    t.after(fx.cleanup);
    await createAndCheck(fx, logs);

    // Each update keeps the text it replaced; only the last few stay.
    const versions = ['2026.9.1', '2026.9.2', '2026.9.3', '2026.9.4', '2026.9.5', '2026.9.6'];
    let replaced = '';
    for (const v of versions) {
      replaced = await fx.read(MCP_JSON);
      const updated = await provider.apply(fx.ctx, change('update', memory(v)));
      assert.equal(updated.outcome, 'applied', updated.message);
    }
    const index = await backupIndex(fx, MCP_JSON);
    assert.equal(index.backups.length, BACKUPS_KEPT);
    assert.equal(await newestBackup(fx, MCP_JSON), replaced);
    assert.match(replaced, /server-memory@2026\.9\.5/);
    const folder = `${STATE}/backups/${backupFolderName(fx.file(MCP_JSON))}`;
    assert.deepEqual(
      (await fs.readdir(fx.file(folder))).sort(),
      [...index.backups.map((b) => b.file), 'index.json'].sort(),
      'pruned versions are deleted, not just forgotten',
    );
    // The inventory's versions are kept the same way.
    const inventory = await backupIndex(fx, `${STATE}/inventory/dev/laptop.json`);
    assert.equal(inventory.backups.length, BACKUPS_KEPT);
  });

  test('ssh host: the same, in the state folder on the remote', async (t) => {
    const sshd = await startSshd(t);
    const { fx, logs } = await setup();
    t.after(fx.cleanup);
    const host = new SshHost({
      url: sshd.url,
      home: fx.home,
      identityRef: `file:${sshd.identityFile}`,
      knownHosts: sshd.knownHosts,
      connectTimeoutMs: 5000,
    });
    t.after(() => host.close());
    fx.ctx.host = host;
    await createAndCheck(fx, logs);
    assert.equal(
      (logs.find((l) => String(l.msg).includes(STALE_BACKUP_SUFFIX)) as { host?: string }).host,
      sshd.url,
    );
  });
});
