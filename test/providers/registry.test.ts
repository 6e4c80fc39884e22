import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { McpGitopsError } from '../../src/core/errors.js';
import { getProvider, hasProvider, providerIds } from '../../src/providers/registry.js';

const providersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'providers');

test('the provider registry lists exactly the provider folders that have an index.ts', async () => {
  const entries = await fs.readdir(providersDir, { withFileTypes: true });
  const folders: string[] = [];
  for (const e of entries.filter((d) => d.isDirectory())) {
    const hasIndex = await fs
      .access(path.join(providersDir, e.name, 'index.ts'))
      .then(() => true)
      .catch(() => false);
    if (hasIndex) folders.push(e.name);
  }
  assert.deepEqual(providerIds(), folders.sort());
  assert.ok(hasProvider('client-config'));
  for (const id of folders) assert.equal(getProvider(id).id, id);
});

test('an unknown provider id fails with the list of valid ones', () => {
  assert.throws(
    () => getProvider('kubernetes-nope'),
    (e: unknown) =>
      e instanceof McpGitopsError &&
      e.code === 'ERR_PROVIDER' &&
      e.hint === `valid providers: ${providerIds().join(', ')}`,
  );
});
