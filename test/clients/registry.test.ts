import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
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
  assert.equal(isClientId('windsurf'), false);
  assert.throws(
    () => getClient('windsurf'),
    (e: unknown) =>
      e instanceof McpGitopsError &&
      /unknown MCP client "windsurf"/.test(e.message) &&
      e.hint === `valid clients: ${clientIds().join(', ')}`,
  );
});
