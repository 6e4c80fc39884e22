/**
 * The CLI family of adapters (OpenCode, Kilo, Qwen Code, Factory Droid, Amp, Copilot CLI, Crush,
 * Zed, Auggie, Kimi, Antigravity), each through the real provider apply on a user's own file:
 * create (a stdio server with a secret reference, then a remote one), update, delete. Each result
 * is compared byte for byte with `golden-clis/<client>/after-*.json`; the delete gives back the
 * user's file as it was (comments, entries, CRLF). Clients with no reference syntax refuse a secret
 * in reference mode and write its value only with `materializeSecrets` (mode 0600).
 * `UPDATE_GOLDEN=1` rewrites the goldens.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { getClient } from '../../src/clients/registry.js';
import type { ClientId } from '../../src/clients/types.js';
import { clientConfigProvider as provider } from '../../src/providers/client-config/index.js';
import { CANARY, change, desired, listFiles, makeFixture } from '../providers/client-config/fixture.js';
import { assertGolden, memorySpec, remoteServer } from './client-goldens.js';

const ROOT = new URL('./golden-clis/', import.meta.url).pathname;
/** `${VAR}`, the reference most clients expand. */
const BRACED = `\${MEMORY_TOKEN}`;

interface Case {
  client: ClientId;
  /** The file under the fixture's home (projectDir is ~/src/app). */
  file: string;
  /** The top-level key of the servers (one key, even with a dot in it). */
  key: string;
  /** How the secret MEMORY_TOKEN (ref env:MEMORY_TOKEN) appears in the file; undefined = refused. */
  secretRef?: string;
}

const CASES: Case[] = [
  { client: 'opencode', file: 'src/app/opencode.json', key: 'mcp', secretRef: '{env:MEMORY_TOKEN}' },
  { client: 'kilo', file: 'src/app/kilo.json', key: 'mcp', secretRef: '{env:MEMORY_TOKEN}' },
  {
    client: 'qwen-code',
    file: 'src/app/.qwen/settings.json',
    key: 'mcpServers',
    secretRef: BRACED,
  },
  {
    client: 'factory-droid',
    file: 'src/app/.factory/mcp.json',
    key: 'mcpServers',
    secretRef: BRACED,
  },
  { client: 'amp', file: 'src/app/.amp/settings.json', key: 'amp.mcpServers', secretRef: BRACED },
  {
    client: 'copilot-cli',
    file: 'src/app/.github/mcp.json',
    key: 'mcpServers',
    secretRef: BRACED,
  },
  { client: 'crush', file: 'src/app/crush.json', key: 'mcp', secretRef: '$MEMORY_TOKEN' },
  { client: 'zed', file: 'src/app/.zed/settings.json', key: 'context_servers' },
  { client: 'augment', file: 'src/app/.augment/settings.json', key: 'mcpServers' },
  { client: 'kimi', file: '.kimi/mcp.json', key: 'mcpServers' },
  { client: 'antigravity', file: '.gemini/antigravity/mcp_config.json', key: 'mcpServers' },
];

const remote = remoteServer();

const golden = (client: string, file: string, actual: string) =>
  assertGolden(ROOT, join(client, file), actual);

function data(text: string): Record<string, unknown> {
  const errors: jsonc.ParseError[] = [];
  const value = jsonc.parse(text, errors, { allowTrailingComma: true }) as Record<string, unknown>;
  assert.deepEqual(errors, [], 'parses as JSONC');
  return value;
}

function servers(text: string, key: string): Record<string, unknown> {
  return data(text)[key] as Record<string, unknown>;
}

describe('CLI-family client files (golden)', () => {
  for (const c of CASES) {
    test(`${c.client}: ${c.file}`, async (t) => {
      const before = readFileSync(join(ROOT, c.client, 'before.json'), 'utf8');
      const fx = await makeFixture({ clients: [c.client] }, { [c.file]: before });
      t.after(fx.cleanup);
      const client = getClient(c.client);
      assert.equal(client.path(fx.target.settings, { home: fx.home }), fx.file(c.file));
      const mine = servers(before, c.key).mine;
      const read = async () => (await fx.read(c.file)).replaceAll(fx.home, '/home/me');

      if (!c.secretRef) {
        const refused = await provider.apply(
          fx.ctx,
          change('create', desired('memory', memorySpec('1.0.0', true))),
        );
        assert.equal(refused.outcome, 'failed');
        assert.match(String(refused.message), new RegExp(`${c.client}: .*materializeSecrets: true`));
        assert.equal(await fx.read(c.file), before, 'a refused change leaves the file alone');
      }
      const memory = desired('memory', memorySpec('1.0.0', c.secretRef !== undefined));
      const created = await provider.apply(fx.ctx, change('create', memory));
      assert.equal(created.outcome, 'applied', created.message);
      const afterCreate = await read();
      golden(c.client, 'after-create.json', afterCreate);
      assert.ok(!afterCreate.includes(CANARY), 'no secret value in reference mode');
      if (c.secretRef)
        assert.ok(afterCreate.includes(JSON.stringify(c.secretRef)), `secret as ${c.secretRef}`);
      const entries = servers(afterCreate, c.key);
      assert.deepEqual(Object.keys(entries), ['mine', 'memory'], "the user's entry first, ours after");
      assert.deepEqual(entries.mine, mine, "the user's entry unchanged");
      assert.deepEqual(
        client.readEntries(client.parse(await fx.read(c.file), c.file)).memory,
        entries.memory,
      );

      assert.equal((await provider.apply(fx.ctx, change('create', remote))).outcome, 'applied');
      golden(c.client, 'after-remote.json', await read());

      const v2 = desired('memory', memorySpec('2.0.0', c.secretRef !== undefined));
      assert.equal((await provider.apply(fx.ctx, change('update', v2))).outcome, 'applied');
      const afterUpdate = await read();
      golden(c.client, 'after-update.json', afterUpdate);
      assert.match(afterUpdate, /server-memory@2\.0\.0/);
      assert.doesNotMatch(afterUpdate, /server-memory@1\.0\.0/);

      assert.equal((await provider.apply(fx.ctx, change('delete', 'remote'))).outcome, 'applied');
      assert.equal((await provider.apply(fx.ctx, change('delete', 'memory'))).outcome, 'applied');
      assert.equal(await fx.read(c.file), before, 'the delete gives back the file as it was');
    });
  }
});

describe('CLI-family clients without a reference syntax', () => {
  for (const c of CASES.filter((x) => !x.secretRef)) {
    test(`${c.client}: materializeSecrets writes the value, mode 0600`, async (t) => {
      const before = readFileSync(join(ROOT, c.client, 'before.json'), 'utf8');
      const fx = await makeFixture({ clients: [c.client], materializeSecrets: true }, { [c.file]: before });
      t.after(fx.cleanup);
      const memory = desired('memory', memorySpec('1.0.0', true));
      const result = await provider.apply(fx.ctx, change('create', memory));
      assert.equal(result.outcome, 'applied', result.message);
      const entry = servers(await fx.read(c.file), c.key).memory as { env: Record<string, string> };
      assert.equal(entry.env.MEMORY_TOKEN, CANARY);
      assert.equal((await fs.stat(fx.file(c.file))).mode & 0o777, 0o600);
      assert.ok(!JSON.stringify(result).includes(CANARY), 'the value is not in the result');
    });
  }
});

describe('CLI-family entries per transport and files per OS', () => {
  const sse = desired('events', { transport: 'sse', remote: { url: 'https://mcp.example.com/sse' } });
  const ctx = { secretsMode: 'reference' as const };
  const expected: Record<string, unknown> = {
    opencode: { type: 'remote', url: 'https://mcp.example.com/sse' },
    kilo: { type: 'remote', url: 'https://mcp.example.com/sse' },
    'qwen-code': { url: 'https://mcp.example.com/sse' },
    'factory-droid': { type: 'sse', url: 'https://mcp.example.com/sse' },
    amp: { url: 'https://mcp.example.com/sse' },
    'copilot-cli': { type: 'sse', tools: ['*'], url: 'https://mcp.example.com/sse' },
    crush: { type: 'sse', url: 'https://mcp.example.com/sse' },
    zed: { source: 'custom', url: 'https://mcp.example.com/sse' },
    augment: { type: 'sse', url: 'https://mcp.example.com/sse' },
    kimi: { transport: 'sse', url: 'https://mcp.example.com/sse' },
    antigravity: { serverUrl: 'https://mcp.example.com/sse' },
  };
  for (const c of CASES) {
    test(`${c.client}: an SSE server's entry`, () => {
      assert.deepEqual(getClient(c.client).entryFor(sse, ctx), expected[c.client]);
    });
  }

  test('user files on linux, darwin and win32', () => {
    const home = '/h';
    const files: Record<string, [string, string, string]> = {
      opencode: [
        '.config/opencode/opencode.json',
        '.config/opencode/opencode.json',
        '.config/opencode/opencode.json',
      ],
      kilo: ['.config/kilo/kilo.json', '.config/kilo/kilo.json', '.config/kilo/kilo.json'],
      'qwen-code': ['.qwen/settings.json', '.qwen/settings.json', '.qwen/settings.json'],
      'factory-droid': ['.factory/mcp.json', '.factory/mcp.json', '.factory/mcp.json'],
      amp: ['.config/amp/settings.json', '.config/amp/settings.json', '.config/amp/settings.json'],
      'copilot-cli': ['.copilot/mcp-config.json', '.copilot/mcp-config.json', '.copilot/mcp-config.json'],
      crush: ['.config/crush/crush.json', '.config/crush/crush.json', 'AppData/Local/crush/crush.json'],
      zed: ['.config/zed/settings.json', '.config/zed/settings.json', 'AppData/Roaming/Zed/settings.json'],
      augment: ['.augment/settings.json', '.augment/settings.json', '.augment/settings.json'],
      kimi: ['.kimi/mcp.json', '.kimi/mcp.json', '.kimi/mcp.json'],
      antigravity: [
        '.gemini/antigravity/mcp_config.json',
        '.gemini/antigravity/mcp_config.json',
        '.gemini/antigravity/mcp_config.json',
      ],
    };
    for (const c of CASES) {
      const [linux, darwin, win32] = files[c.client]!;
      const client = getClient(c.client);
      assert.equal(client.path({}, { home, platform: 'linux' }), `${home}/${linux}`, c.client);
      assert.equal(client.path({}, { home, platform: 'darwin' }), `${home}/${darwin}`, c.client);
      assert.equal(client.path({}, { home, platform: 'win32' }), `${home}/${win32}`, c.client);
    }
  });
});

describe('CLI-family candidate files', () => {
  const cases: [ClientId, string, string][] = [
    ['opencode', 'src/app/opencode.jsonc', 'mcp'],
    ['kilo', '.config/kilo/kilo.jsonc', 'mcp'],
    ['crush', 'src/app/.crush.json', 'mcp'],
  ];
  for (const [id, file, key] of cases) {
    test(`${id}: an existing ${file} is the file written, and no other is created`, async (t) => {
      const before = `{\n  // mine\n  "${key}": {}\n}\n`;
      const user = file.startsWith('src/app/') ? {} : { projectDir: undefined };
      const fx = await makeFixture({ clients: [id], ...user }, { [file]: before });
      t.after(fx.cleanup);
      const memory = desired('memory', memorySpec('1.0.0', true));
      assert.equal((await provider.apply(fx.ctx, change('create', memory))).outcome, 'applied');
      assert.ok(servers(await fx.read(file), key).memory, `our entry is in ${file}`);
      const others = listFiles(fx.home);
      assert.deepEqual(
        (await others).filter((f) => !f.startsWith('.local/state/')),
        [file],
      );
      assert.equal((await provider.apply(fx.ctx, change('delete', 'memory'))).outcome, 'applied');
      assert.equal(await fx.read(file), before);
    });
  }
});
