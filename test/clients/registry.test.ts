import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { clientTable, README, withTable } from '../../scripts/gen-client-table.js';
import { clientIds, getClient, isClientId } from '../../src/clients/registry.js';
import { McpGitopsError } from '../../src/core/errors.js';

const clientsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'clients');

test('the client registry lists exactly the adapter folders, each under its own id', async () => {
  const entries = await fs.readdir(clientsDir, { withFileTypes: true });
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  assert.deepEqual(clientIds(), folders);
  for (const id of folders) {
    await fs.access(path.join(clientsDir, id, 'index.ts'));
    assert.equal(getClient(id).id, id);
  }
});

test('an unknown client id fails with the list of valid ones', () => {
  assert.equal(isClientId('no-such-client'), false);
  assert.throws(
    () => getClient('no-such-client'),
    (e: unknown) =>
      e instanceof McpGitopsError &&
      /unknown MCP client "no-such-client"/.test(e.message) &&
      e.hint === `valid clients: ${clientIds().join(', ')}`,
  );
});

test('the README table has one row per registered client, and is what gen-client-table prints', async () => {
  const readme = await fs.readFile(README, 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(rows, clientIds(), 'one row per registered id, sorted');
  assert.equal(
    readme,
    withTable(readme),
    'src/clients/README.md: the client table is stale; run node --import tsx scripts/gen-client-table.ts',
  );
  assert.ok(readme.includes(clientTable()));
});

test('the generated row says what the adapter does: files per OS, key, shapes, secret syntax', () => {
  const table = clientTable();
  const row = (id: string) => table.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
  assert.match(String(row('continue')), /`~\/\.continue\/config\.yaml` \| YAML \| `mcpServers` list, `name`/);
  assert.match(String(row('continue')), /`\$\{\{ secrets\.VAR \}\}`/);
  assert.match(String(row('goose')), /Windows: `~\/AppData\/Roaming\/Block\/goose\/config\/config\.yaml`/);
  assert.match(String(row('goose')), /`env_keys` lists `VAR` \(passed by name\)/);
  assert.match(
    String(row('mistral-vibe')),
    /`\[\[mcp_servers\]\]`.*no SSE \| none: needs `materializeSecrets: true` \|$/,
  );
  assert.match(
    String(row('claude-desktop')),
    /macOS: `~\/Library\/Application Support\/Claude\/claude_desktop_config\.json`/,
  );
});
