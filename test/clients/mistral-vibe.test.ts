/**
 * Mistral Vibe's `[[mcp_servers]]` array of tables through the real provider apply on a user's
 * own commented file: create (stdio, with a secret value under `materializeSecrets`, mode 0600),
 * a remote server, update, delete — compared byte for byte with `golden-toml/mistral-vibe/`; the
 * user's elements, their subtables and comments stay, and the delete gives back the file as it
 * was. In reference mode a secret is refused (Vibe expands no variables). `UPDATE_GOLDEN=1`
 * rewrites the goldens.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { getClient } from '../../src/clients/registry.js';
import { clientConfigProvider as provider } from '../../src/providers/client-config/index.js';
import { CANARY, change, desired, makeFixture } from '../providers/client-config/fixture.js';
import { assertGolden, memorySpec, remoteServer } from './client-goldens.js';

const ROOT = new URL('./golden-toml/mistral-vibe/', import.meta.url).pathname;
const FILE = 'src/app/.vibe/config.toml';

const remote = remoteServer();

const golden = (file: string, actual: string) => assertGolden(ROOT, file, actual);

const names = (text: string) => (parseToml(text).mcp_servers as { name: string }[]).map((s) => s.name);

test('mistral-vibe: create, remote, update and delete keep the user file', async (t) => {
  const before = readFileSync(join(ROOT, 'before.toml'), 'utf8');
  const vibe = getClient('mistral-vibe');
  const userEntries = vibe.readEntries(vibe.parse(before, FILE));
  assert.deepEqual(Object.keys(userEntries), ['mine', 'docs']);

  const refused = await makeFixture({ clients: ['mistral-vibe'] }, { [FILE]: before });
  t.after(refused.cleanup);
  const no = await provider.apply(refused.ctx, change('create', desired('memory', memorySpec('1.0.0'))));
  assert.equal(no.outcome, 'failed');
  assert.match(String(no.message), /mistral-vibe: .*materializeSecrets: true/);
  assert.equal(await refused.read(FILE), before, 'a refused change leaves the file alone');

  const fx = await makeFixture({ clients: ['mistral-vibe'], materializeSecrets: true }, { [FILE]: before });
  t.after(fx.cleanup);
  assert.equal(vibe.path(fx.target.settings, { home: fx.home }), fx.file(FILE));
  const read = async () =>
    (await fx.read(FILE)).replaceAll(fx.home, '/home/me').replaceAll(CANARY, '<canary>');

  const created = await provider.apply(fx.ctx, change('create', desired('memory', memorySpec('1.0.0'))));
  assert.equal(created.outcome, 'applied', created.message);
  assert.ok(!String(created.message).includes(CANARY), 'no secret in the message');
  const raw = await fx.read(FILE);
  assert.equal((await fs.stat(fx.file(FILE))).mode & 0o777, 0o600, 'a file with a value is 0600');
  const entries = vibe.readEntries(vibe.parse(raw, FILE));
  assert.deepEqual((entries.memory!.env as Record<string, string>).MEMORY_TOKEN, CANARY);
  assert.equal(entries.memory!.transport, 'stdio');
  assert.deepEqual(entries.mine, userEntries.mine);
  assert.deepEqual(entries.docs, userEntries.docs);
  const afterCreate = await read();
  golden('after-create.toml', afterCreate);
  for (const comment of before.match(/#.*$/gm) ?? []) assert.ok(afterCreate.includes(comment), comment);
  assert.deepEqual(names(raw), ['mine', 'docs', 'memory']);

  assert.equal((await provider.apply(fx.ctx, change('create', remote))).outcome, 'applied');
  golden('after-remote.toml', await read());

  const v2 = desired('memory', memorySpec('2.0.0'));
  assert.equal((await provider.apply(fx.ctx, change('update', v2))).outcome, 'applied');
  const afterUpdate = await read();
  golden('after-update.toml', afterUpdate);
  assert.match(afterUpdate, /server-memory@2\.0\.0/);
  assert.doesNotMatch(afterUpdate, /server-memory@1\.0\.0/);
  assert.deepEqual(names(afterUpdate), ['mine', 'docs', 'memory', 'remote']);

  assert.equal((await provider.apply(fx.ctx, change('delete', 'memory'))).outcome, 'applied');
  assert.equal((await provider.apply(fx.ctx, change('delete', 'remote'))).outcome, 'applied');
  assert.equal(await fx.read(FILE), before, 'the delete gives back the file as it was');
});

test('mistral-vibe: a new file gets one element per server; SSE is refused', async (t) => {
  const vibe = getClient('mistral-vibe');
  assert.match(
    String(vibe.unsupported({ transport: 'sse', remote: { url: 'https://x/sse' } }, 'reference')),
    /SSE/,
  );
  const fx = await makeFixture({ clients: ['mistral-vibe'], projectDir: undefined }, {});
  t.after(fx.cleanup);
  const created = await provider.apply(
    fx.ctx,
    change('create', desired('memory', memorySpec('1.0.0', false))),
  );
  assert.equal(created.outcome, 'applied', created.message);
  const text = await fx.read('.vibe/config.toml');
  assert.match(text, /^\[\[mcp_servers\]\]\nname = "memory"\ntransport = "stdio"\n/);
  assert.equal((await provider.apply(fx.ctx, change('delete', 'memory'))).outcome, 'applied');
  assert.equal(await fx.read('.vibe/config.toml'), '');
});
