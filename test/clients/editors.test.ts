/**
 * The editor-family adapters (windsurf, vscode-insiders, cline, cline-cli, roo-code, kilo-code,
 * kiro, amazon-q, trae, qoder, lm-studio, junie), one table: each client's file on Linux, macOS
 * and Windows; and, through the real provider apply on a temp home, a stdio and a remote server
 * created into a user's commented file, the stdio one updated, both deleted — compared byte for
 * byte with `editors-golden/<case>/` (`UPDATE_GOLDEN=1` rewrites them) — the delete giving back
 * the user's file as it was. Secrets: the client's reference is written (never the value), or,
 * for a client that expands no variables, the server is refused with the way out, and
 * `materializeSecrets: true` writes the value.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { getClient } from '../../src/clients/registry.js';
import type { ClientId } from '../../src/clients/types.js';
import type { ServerSpec, TargetSpec } from '../../src/core/resources.js';
import { clientConfigProvider as provider } from '../../src/providers/client-config/index.js';
import { CANARY, change, desired, makeFixture } from '../providers/client-config/fixture.js';

const ROOT = new URL('./editors-golden/', import.meta.url).pathname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface Case {
  client: ClientId;
  /** Project scope (the fixture's ~/src/app) or user scope. */
  scope: 'project' | 'user';
  /** How `MEMORY_TOKEN` is referenced, or undefined when the client expands no variables. */
  ref: string | undefined;
  /** The reason an SSE server is refused, when it is. */
  noSse?: RegExp;
}

const CASES: Record<string, Case> = {
  windsurf: { client: 'windsurf', scope: 'user', ref: `\${env:MEMORY_TOKEN}` },
  'vscode-insiders': {
    client: 'vscode-insiders',
    scope: 'project',
    ref: `\${input:mcp-gitops-memory-MEMORY_TOKEN}`,
  },
  'vscode-insiders-user': {
    client: 'vscode-insiders',
    scope: 'user',
    ref: `\${input:mcp-gitops-memory-MEMORY_TOKEN}`,
  },
  cline: { client: 'cline', scope: 'user', ref: `\${env:MEMORY_TOKEN}` },
  'cline-cli': { client: 'cline-cli', scope: 'user', ref: undefined, noSse: /not SSE/ },
  'roo-code': { client: 'roo-code', scope: 'project', ref: `\${env:MEMORY_TOKEN}` },
  'roo-code-user': { client: 'roo-code', scope: 'user', ref: `\${env:MEMORY_TOKEN}` },
  'kilo-code': { client: 'kilo-code', scope: 'project', ref: `\${env:MEMORY_TOKEN}` },
  kiro: { client: 'kiro', scope: 'project', ref: `\${MEMORY_TOKEN}` },
  'amazon-q': { client: 'amazon-q', scope: 'project', ref: undefined, noSse: /not SSE/ },
  trae: { client: 'trae', scope: 'project', ref: undefined },
  qoder: { client: 'qoder', scope: 'user', ref: undefined },
  'lm-studio': { client: 'lm-studio', scope: 'user', ref: undefined },
  junie: { client: 'junie', scope: 'project', ref: undefined },
};

/** Each client's file: project scope (projectDir /h/app), then user scope on linux, darwin, win32. */
const PATHS: Record<string, [string | undefined, string, string, string]> = {
  windsurf: [
    undefined,
    '/h/.codeium/windsurf/mcp_config.json',
    '/h/.codeium/windsurf/mcp_config.json',
    '/h/.codeium/windsurf/mcp_config.json',
  ],
  'vscode-insiders': [
    '/h/app/.vscode/mcp.json',
    '/h/.config/Code - Insiders/User/mcp.json',
    '/h/Library/Application Support/Code - Insiders/User/mcp.json',
    '/h/AppData/Roaming/Code - Insiders/User/mcp.json',
  ],
  cline: [
    undefined,
    '/h/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    '/h/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    '/h/AppData/Roaming/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
  ],
  'cline-cli': [
    undefined,
    '/h/.cline/data/settings/cline_mcp_settings.json',
    '/h/.cline/data/settings/cline_mcp_settings.json',
    '/h/.cline/data/settings/cline_mcp_settings.json',
  ],
  'roo-code': [
    '/h/app/.roo/mcp.json',
    '/h/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
    '/h/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
    '/h/AppData/Roaming/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json',
  ],
  'kilo-code': [
    '/h/app/.kilocode/mcp.json',
    '/h/.config/Code/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json',
    '/h/Library/Application Support/Code/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json',
    '/h/AppData/Roaming/Code/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json',
  ],
  kiro: [
    '/h/app/.kiro/settings/mcp.json',
    '/h/.kiro/settings/mcp.json',
    '/h/.kiro/settings/mcp.json',
    '/h/.kiro/settings/mcp.json',
  ],
  'amazon-q': [
    '/h/app/.amazonq/mcp.json',
    '/h/.aws/amazonq/mcp.json',
    '/h/.aws/amazonq/mcp.json',
    '/h/.aws/amazonq/mcp.json',
  ],
  trae: [
    '/h/app/.trae/mcp.json',
    '/h/.config/Trae/User/mcp.json',
    '/h/Library/Application Support/Trae/User/mcp.json',
    '/h/AppData/Roaming/Trae/User/mcp.json',
  ],
  qoder: [
    undefined,
    '/h/.config/Qoder/SharedClientCache/mcp.json',
    '/h/Library/Application Support/Qoder/SharedClientCache/mcp.json',
    '/h/AppData/Roaming/Qoder/SharedClientCache/mcp.json',
  ],
  'lm-studio': [undefined, '/h/.lmstudio/mcp.json', '/h/.lmstudio/mcp.json', '/h/.lmstudio/mcp.json'],
  junie: [
    '/h/app/.junie/mcp/mcp.json',
    '/h/.junie/mcp/mcp.json',
    '/h/.junie/mcp/mcp.json',
    '/h/.junie/mcp/mcp.json',
  ],
};

const stdio = (secrets: boolean, version = '2026.8.31', level = 'info'): ServerSpec => ({
  transport: 'stdio',
  package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version },
  env: { LOG_LEVEL: level },
  ...(secrets ? { secrets: [{ name: 'MEMORY_TOKEN', ref: 'env:MEMORY_TOKEN' }] } : {}),
});
const remote = desired('remote', {
  transport: 'streamable-http',
  remote: { url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'platform' } },
});

/** A user's file in the client's own key, with a comment, an entry and a key of theirs. */
function userFile(c: Case): string {
  if (c.client === 'vscode-insiders') {
    return '{\n  // team servers\n  "servers": {\n    "mine": { "type": "stdio", "command": "my-server" }\n  },\n  "inputs": []\n}\n';
  }
  const mine =
    c.client === 'cline-cli'
      ? '{ "transport": { "type": "stdio", "command": "my-server" }, "disabled": false }'
      : '{ "command": "my-server", "args": ["--flag"] }';
  return `{\n  // my own servers\n  "mcpServers": {\n    "mine": ${mine}\n  },\n  "x-note": "kept"\n}\n`;
}

function settingsOf(c: Case, more: Partial<TargetSpec> = {}): Partial<TargetSpec> {
  return { clients: [c.client], ...(c.scope === 'user' ? { projectDir: undefined } : {}), ...more };
}

/** The client's file relative to the fixture home (the fixture's projectDir is ~/src/app). */
function fileOf(c: Case): string {
  const target = c.scope === 'project' ? { projectDir: '~/src/app' } : {};
  return relative('/H', getClient(c.client).path(target, { home: '/H', platform: process.platform }));
}

function golden(name: string, file: string, actual: string): void {
  const path = join(ROOT, name, file);
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE) assert.fail(`${path} is missing: run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(join(ROOT, name), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${name}/${file} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

describe('editor-family client files per OS', () => {
  for (const [id, [project, linux, darwin, win32]] of Object.entries(PATHS)) {
    test(id, () => {
      const client = getClient(id);
      const user = (platform: NodeJS.Platform) => client.path({}, { home: '/h', platform });
      assert.deepEqual([user('linux'), user('darwin'), user('win32')], [linux, darwin, win32]);
      assert.equal(client.scopes.includes('project'), project !== undefined);
      if (project)
        assert.equal(client.path({ projectDir: '/h/app' }, { home: '/h', platform: 'linux' }), project);
      else assert.equal(client.path({ projectDir: '/h/app' }, { home: '/h', platform: 'linux' }), linux);
    });
  }
});

describe('editor-family files edited in place (golden)', () => {
  for (const [name, c] of Object.entries(CASES)) {
    test(`${name}: create, update, delete keep the user's file; secrets as ${c.ref ?? 'refusal'}`, async (t) => {
      const file = fileOf(c);
      const before = userFile(c);
      const fx = await makeFixture(settingsOf(c), { [file]: before });
      t.after(fx.cleanup);
      const client = getClient(c.client);
      const secrets = c.ref !== undefined;

      const created = await provider.apply(fx.ctx, change('create', desired('memory', stdio(secrets))));
      assert.equal(created.outcome, 'applied', created.message);
      const http = await provider.apply(fx.ctx, change('create', remote));
      assert.equal(http.outcome, 'applied', http.message);
      const afterCreate = (await fx.read(file)).replaceAll(fx.home, '/home/me');
      golden(name, 'after-create.json', afterCreate);
      assert.ok(
        afterCreate.startsWith(before.slice(0, before.indexOf('"mine"'))),
        'the comment and entry stay first',
      );
      const entries = client.readEntries(client.parse(afterCreate, file));
      assert.deepEqual(Object.keys(entries), ['mine', 'memory', 'remote']);
      assert.doesNotMatch(afterCreate, new RegExp(CANARY), 'no secret value in reference mode');
      if (c.ref) assert.ok(afterCreate.includes(`"MEMORY_TOKEN": "${c.ref}"`), `secret written as ${c.ref}`);

      const updated = await provider.apply(
        fx.ctx,
        change('update', desired('memory', stdio(secrets, '2026.9.1', 'debug'))),
      );
      assert.equal(updated.outcome, 'applied', updated.message);
      const afterUpdate = (await fx.read(file)).replaceAll(fx.home, '/home/me');
      golden(name, 'after-update.json', afterUpdate);
      assert.match(afterUpdate, /server-memory@2026\.9\.1/);
      assert.doesNotMatch(afterUpdate, /2026\.8\.31/);

      for (const server of ['remote', 'memory']) {
        const deleted = await provider.apply(fx.ctx, change('delete', server));
        assert.equal(deleted.outcome, 'applied', deleted.message);
      }
      assert.equal(await fx.read(file), before, 'the deletes give back the file as it was');
    });
  }
});

describe('editor-family clients that expand no variables', () => {
  for (const [name, c] of Object.entries(CASES).filter(([, c]) => c.ref === undefined)) {
    test(`${name}: a secret is refused in reference mode, written as its value with materializeSecrets`, async (t) => {
      const file = fileOf(c);
      const before = userFile(c);
      const server = desired('memory', stdio(true));
      const fx = await makeFixture(settingsOf(c), { [file]: before });
      t.after(fx.cleanup);
      const refused = await provider.apply(fx.ctx, change('create', server));
      assert.equal(refused.outcome, 'failed');
      const displayName = getClient(c.client).displayName;
      assert.ok(
        refused.message?.includes(
          `${c.client}: ${displayName} does not expand variable references in its config file: set materializeSecrets: true`,
        ),
        refused.message,
      );
      assert.equal(await fx.read(file), before, 'the file is left untouched');

      const mfx = await makeFixture(settingsOf(c, { materializeSecrets: true }), { [file]: before });
      t.after(mfx.cleanup);
      const written = await provider.apply(mfx.ctx, change('create', server));
      assert.equal(written.outcome, 'applied', written.message);
      assert.ok((await mfx.read(file)).includes(CANARY), 'the value is written');
      assert.ok(!JSON.stringify(written).includes(CANARY), 'and never reported');
    });
  }
});

describe('editor-family transports a client cannot take', () => {
  for (const [name, c] of Object.entries(CASES).filter(([, c]) => c.noSse)) {
    test(`${name}: an SSE server is refused`, () => {
      const sse: ServerSpec = { transport: 'sse', remote: { url: 'https://mcp.example.com/sse' } };
      assert.match(getClient(c.client).unsupported(sse, 'reference') ?? '', c.noSse!);
    });
  }
  test('the others take SSE, with the type they write', () => {
    const sse = desired('events', { transport: 'sse', remote: { url: 'https://mcp.example.com/sse' } });
    const entry = (id: string) => getClient(id).entryFor(sse, { secretsMode: 'reference' });
    assert.deepEqual(entry('windsurf'), { serverUrl: 'https://mcp.example.com/sse' });
    assert.deepEqual(entry('cline'), { type: 'sse', url: 'https://mcp.example.com/sse' });
    assert.deepEqual(entry('roo-code'), { type: 'sse', url: 'https://mcp.example.com/sse' });
    assert.deepEqual(entry('kiro'), { url: 'https://mcp.example.com/sse' });
    assert.deepEqual(entry('vscode-insiders'), { type: 'sse', url: 'https://mcp.example.com/sse' });
  });
});
