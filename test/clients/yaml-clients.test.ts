/**
 * The YAML adapters — Continue (`mcpServers:` a list of named entries) and Goose (`extensions:` a
 * map) — through the real provider apply on a user's own file: create (a stdio server with a
 * secret reference, then a remote one), update, delete. Each result is compared byte for byte
 * with `golden-yaml/<client>/after-*.yaml`; the user's comments, blocks and entries stay, and the
 * delete gives back the file as it was. `UPDATE_GOLDEN=1` rewrites the goldens.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { getClient } from '../../src/clients/registry.js';
import type { ClientId } from '../../src/clients/types.js';
import { clientConfigProvider as provider } from '../../src/providers/client-config/index.js';
import { CANARY, change, desired, makeFixture } from '../providers/client-config/fixture.js';
import { assertGolden, memorySpec, remoteServer } from './client-goldens.js';

const ROOT = new URL('./golden-yaml/', import.meta.url).pathname;

interface Case {
  client: ClientId;
  file: string;
  /** Server names in the file, in order, after the creates. */
  names: (servers: unknown) => string[];
  /** What the secret MEMORY_TOKEN (ref env:MEMORY_TOKEN) looks like in the stdio entry. */
  secret: (entry: Record<string, unknown>) => unknown;
  expectedSecret: unknown;
  key: string;
}

const CASES: Case[] = [
  {
    client: 'continue',
    file: '.continue/config.yaml',
    key: 'mcpServers',
    names: (s) => (s as { name: string }[]).map((e) => e.name),
    secret: (e) => (e.env as Record<string, unknown>).MEMORY_TOKEN,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Continue's own reference syntax
    expectedSecret: '${{ secrets.MEMORY_TOKEN }}',
  },
  {
    client: 'goose',
    file: '.config/goose/config.yaml',
    key: 'extensions',
    names: (s) => Object.keys(s as object),
    secret: (e) => e.env_keys,
    expectedSecret: ['MEMORY_TOKEN'],
  },
];

const remote = remoteServer();

const golden = (client: string, file: string, actual: string) =>
  assertGolden(ROOT, join(client, file), actual);

describe('YAML client files (golden)', () => {
  for (const c of CASES) {
    test(`${c.client}: ${c.file}`, async (t) => {
      const before = readFileSync(join(ROOT, c.client, 'before.yaml'), 'utf8');
      const fx = await makeFixture({ clients: [c.client] }, { [c.file]: before });
      t.after(fx.cleanup);
      const client = getClient(c.client);
      assert.equal(client.path(fx.target.settings, { home: fx.home }), fx.file(c.file));
      const read = async () => (await fx.read(c.file)).replaceAll(fx.home, '/home/me');
      const userEntries = client.readEntries(client.parse(before, c.file));

      const created = await provider.apply(fx.ctx, change('create', desired('memory', memorySpec('1.0.0'))));
      assert.equal(created.outcome, 'applied', created.message);
      const afterCreate = await read();
      golden(c.client, 'after-create.yaml', afterCreate);
      assert.ok(!afterCreate.includes(CANARY), 'no secret value in reference mode');
      const entries = client.readEntries(client.parse(afterCreate, c.file));
      assert.deepEqual(c.secret(entries.memory!), c.expectedSecret);
      assert.deepEqual(c.names(parseYaml(afterCreate)[c.key]), [...Object.keys(userEntries), 'memory']);
      for (const [name, entry] of Object.entries(userEntries)) assert.deepEqual(entries[name], entry);
      for (const comment of before.match(/#.*$/gm) ?? []) assert.ok(afterCreate.includes(comment), comment);

      assert.equal((await provider.apply(fx.ctx, change('create', remote))).outcome, 'applied');
      golden(c.client, 'after-remote.yaml', await read());

      const v2 = desired('memory', memorySpec('2.0.0'));
      assert.equal((await provider.apply(fx.ctx, change('update', v2))).outcome, 'applied');
      const afterUpdate = await read();
      golden(c.client, 'after-update.yaml', afterUpdate);
      assert.match(afterUpdate, /server-memory@2\.0\.0/);
      assert.doesNotMatch(afterUpdate, /server-memory@1\.0\.0/);

      assert.equal((await provider.apply(fx.ctx, change('delete', 'remote'))).outcome, 'applied');
      assert.equal((await provider.apply(fx.ctx, change('delete', 'memory'))).outcome, 'applied');
      assert.equal(await fx.read(c.file), before, 'the delete gives back the file as it was');
    });
  }
});

test('a YAML file that does not parse fails the change with FILE:LINE:COL and is left alone', async (t) => {
  const bad = 'extensions:\n  mine: [unclosed\n';
  const fx = await makeFixture({ clients: ['goose'] }, { '.config/goose/config.yaml': bad });
  t.after(fx.cleanup);
  const result = await provider.apply(fx.ctx, change('create', desired('memory', memorySpec('1.0.0'))));
  assert.equal(result.outcome, 'failed');
  assert.match(String(result.message), /config\.yaml:\d+:\d+: not valid YAML/);
  assert.equal(await fx.read('.config/goose/config.yaml'), bad);
});

test('goose refuses SSE and a renamed secret in reference mode; materialize writes the value', async (t) => {
  const goose = getClient('goose');
  assert.match(
    String(goose.unsupported({ transport: 'sse', remote: { url: 'https://x/sse' } }, 'reference')),
    /SSE/,
  );
  const renamed = { ...memorySpec('1.0.0'), secrets: [{ name: 'TOKEN', ref: 'env:MEMORY_TOKEN' }] };
  assert.match(String(goose.unsupported(renamed, 'reference')), /materializeSecrets: true/);
  assert.equal(goose.unsupported(renamed, 'materialize'), undefined);
  const fx = await makeFixture({ clients: ['goose'], materializeSecrets: true }, {});
  t.after(fx.cleanup);
  const result = await provider.apply(fx.ctx, change('create', desired('memory', memorySpec('1.0.0'))));
  assert.equal(result.outcome, 'applied', result.message);
  const text = await fx.read('.config/goose/config.yaml');
  assert.equal(parseYaml(text).extensions.memory.envs.MEMORY_TOKEN, CANARY);
  assert.equal(parseYaml(text).extensions.memory.env_keys, undefined);
});

test('YAML edits keep CRLF, give back an empty `[]` the user had, and leave no trace in a new file', () => {
  const continueClient = getClient('continue');
  const roundTrip = (before: string, check: (after: string) => void) => {
    const doc = continueClient.parse(before, 'config.yaml');
    continueClient.writeEntry(doc, 'memory', { command: 'npx', args: ['-y', 'x@1'] });
    check(continueClient.serialize(doc));
    continueClient.removeEntry(doc, 'memory');
    assert.equal(continueClient.serialize(doc), before, 'the delete gives back the file as it was');
  };
  roundTrip('name: a\r\nmcpServers:\r\n  - name: mine # mine\r\n    command: x\r\n', (after) => {
    assert.match(after, /^name: a\r\nmcpServers:\r\n {2}- name: mine # mine\r\n/);
    assert.doesNotMatch(after, /[^\r]\n/, 'every line ends in CRLF');
  });
  roundTrip('mcpServers: []\n', (after) =>
    assert.equal(
      after,
      'mcpServers:\n  - name: memory\n    command: npx\n    args:\n      - -y\n      - x@1\n',
    ),
  );
  roundTrip('', (after) => assert.match(after, /^mcpServers:\n {2}- name: memory\n/));
  const goose = getClient('goose');
  const doc = goose.parse(undefined, 'config.yaml');
  goose.writeEntry(doc, 'memory', { enabled: true, type: 'stdio', cmd: 'npx', args: [] });
  goose.removeEntry(doc, 'memory');
  assert.equal(goose.serialize(doc), '');
});

test('a YAML file whose servers or top level have the wrong shape is refused', () => {
  const continueClient = getClient('continue');
  assert.throws(
    () => continueClient.parse('mcpServers: 5\n', 'c.yaml'),
    /c\.yaml: "mcpServers" is not a list or mapping/,
  );
  assert.throws(() => continueClient.parse('- a\n', 'c.yaml'), /c\.yaml: the top level is not a mapping/);
  assert.deepEqual(continueClient.readEntries(continueClient.parse('mcpServers:\n', 'c.yaml')), {});
});
