import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { describe, test } from 'node:test';
import { type ParseError, parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { clientIds } from '../../../src/clients/registry.js';
import { REDACTED, redactor } from '../../../src/log/redact.js';
import { diffFields } from '../../../src/plan/diff-fields.js';
import { backupFolderName } from '../../../src/providers/client-config/backup-index.js';
import { clientConfigProvider as provider } from '../../../src/providers/client-config/index.js';
import { CANARY, change, desired, listFiles, makeFixture, USER_FILES } from './fixture.js';

const ALL = ['claude-code', 'cursor', 'vscode', 'gemini-cli', 'codex'];
const memory = desired('memory', {
  transport: 'stdio',
  package: { registryType: 'npm', identifier: '@modelcontextprotocol/server-memory', version: '2026.8.31' },
  env: { LOG_LEVEL: 'info' },
  secrets: [{ name: 'MEMORY_TOKEN', ref: 'env:MEMORY_TOKEN' }],
});

/** A file's data with our entry taken out, to compare with what the user had. */
function withoutOurs(text: string, key: string, toml = false): unknown {
  const data = (
    toml ? JSON.parse(JSON.stringify(parseToml(text))) : JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''))
  ) as Record<string, Record<string, unknown>>;
  if (data[key]) delete data[key].memory;
  if (data[key] && Object.keys(data[key]).length === 0) delete data[key];
  return data;
}

describe('client-config provider on real files', () => {
  test('create, drift, update and delete keep the user entries and unknown keys; secrets stay references', async (t) => {
    const fx = await makeFixture({ clients: ALL });
    t.after(fx.cleanup);
    const created = await provider.apply(fx.ctx, change('create', memory));
    assert.equal(created.outcome, 'applied', created.message);
    assert.equal(created.message, 'registered in claude-code, codex, cursor, gemini-cli, vscode');

    // The user's parts of every file are unchanged.
    assert.deepEqual(
      withoutOurs(await fx.read('src/app/.mcp.json'), 'mcpServers'),
      JSON.parse(USER_FILES['src/app/.mcp.json']!),
    );
    assert.deepEqual(
      withoutOurs(await fx.read('src/app/.cursor/mcp.json'), 'mcpServers'),
      JSON.parse(USER_FILES['src/app/.cursor/mcp.json']!),
    );
    const gemini = await fx.read('src/app/.gemini/settings.json');
    assert.deepEqual(
      withoutOurs(gemini, 'mcpServers'),
      JSON.parse(USER_FILES['src/app/.gemini/settings.json']!),
    );
    assert.deepEqual(withoutOurs(await fx.read('.codex/config.toml'), 'mcp_servers', true), {
      model: 'o3',
      mcp_servers: { mine: { command: 'my-server' } },
    });
    const vscodeText = await fx.read('src/app/.vscode/mcp.json');
    assert.ok(
      vscodeText.startsWith(
        '{\n  // team servers\n  "servers": {\n    "mine": { "type": "stdio", "command": "x" },\n',
      ),
    );

    // Native references, never the value; backups of what was replaced; no temp files left.
    assert.match(await fx.read('src/app/.mcp.json'), /"MEMORY_TOKEN": "\$\{MEMORY_TOKEN\}"/);
    assert.match(
      await fx.read('src/app/.cursor/mcp.json'),
      /\t\t\t\t"MEMORY_TOKEN": "\$\{env:MEMORY_TOKEN\}"/,
    );
    assert.match(vscodeText, /"MEMORY_TOKEN": "\$\{input:mcp-gitops-memory-MEMORY_TOKEN\}"/);
    assert.match(vscodeText, /"id": "mcp-gitops-memory-MEMORY_TOKEN"/);
    assert.match(await fx.read('.codex/config.toml'), /env_vars = \[ "MEMORY_TOKEN" \]/);
    const files = await listFiles(fx.home);
    for (const rel of files)
      assert.ok(!(await fx.read(rel)).includes(CANARY), `${rel} holds the secret value`);
    // What was replaced is in the state folder, not beside the file.
    const backups = `.local/state/mcp-gitops/backups/${backupFolderName(fx.file('src/app/.mcp.json'))}`;
    const index = JSON.parse(await fx.read(`${backups}/index.json`)) as { backups: { file: string }[] };
    assert.equal(await fx.read(`${backups}/${index.backups[0]!.file}`), USER_FILES['src/app/.mcp.json']);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.bak') && !f.startsWith('.local/state/mcp-gitops/backups/')),
      [],
    );
    assert.deepEqual(
      files.filter((f) => f.endsWith('.tmp')),
      [],
    );
    assert.ok(files.includes('.local/state/mcp-gitops/inventory/dev/laptop.json'));

    // In sync: what observe finds is what render says.
    let observed = await provider.observe(fx.ctx);
    assert.equal(observed.reachable, true);
    assert.deepEqual(
      observed.servers.map((s) => s.name),
      ['memory'],
      'only inventory entries are reported',
    );
    const rendered = provider.render(memory, fx.target, fx.environment);
    assert.deepEqual(diffFields(observed.servers[0]!.actual, rendered), []);
    assert.equal(observed.servers[0]!.specHash, memory.specHash);

    // A hand edit of the managed cursor entry is drift on that field.
    const cursorPath = 'src/app/.cursor/mcp.json';
    await fs.writeFile(
      fx.file(cursorPath),
      (await fx.read(cursorPath)).replace('server-memory@2026.8.31', 'server-memory@0.0.1'),
    );
    observed = await provider.observe(fx.ctx);
    const drift = diffFields(observed.servers[0]!.actual, rendered);
    assert.deepEqual(
      drift.map((d) => d.path),
      ['cursor.args[1]'],
    );

    // Update repairs it and moves to a new version everywhere; user entries still there.
    const v2 = desired('memory', {
      ...memory.spec,
      package: { ...memory.spec.package!, version: '2026.9.1' },
    });
    const updated = await provider.apply(fx.ctx, change('update', v2));
    assert.equal(updated.outcome, 'applied', updated.message);
    observed = await provider.observe(fx.ctx);
    assert.deepEqual(
      diffFields(observed.servers[0]!.actual, provider.render(v2, fx.target, fx.environment)),
      [],
    );
    assert.match(await fx.read(cursorPath), /"url": "https:\/\/example.com\/mcp"/);

    // Delete takes out exactly our entries: the JSON files are byte for byte what the user had.
    const deleted = await provider.apply(fx.ctx, change('delete', 'memory'));
    assert.equal(deleted.outcome, 'applied', deleted.message);
    for (const rel of ['src/app/.mcp.json', 'src/app/.cursor/mcp.json', 'src/app/.vscode/mcp.json']) {
      assert.equal(await fx.read(rel), USER_FILES[rel], rel);
    }
    assert.deepEqual(JSON.parse(await fx.read('src/app/.gemini/settings.json')), {
      ...JSON.parse(USER_FILES['src/app/.gemini/settings.json']!),
      mcpServers: {},
    });
    assert.deepEqual(
      parseToml(await fx.read('.codex/config.toml')),
      parseToml(USER_FILES['.codex/config.toml']!),
    );
    assert.deepEqual((await provider.observe(fx.ctx)).servers, []);
  });

  test('an inventory spec edited under its old hash does not hide drift: the desired entries are what is compared', async (t) => {
    const fx = await makeFixture({ clients: ['cursor'] });
    t.after(fx.cleanup);
    fx.target.servers = [memory];
    assert.equal((await provider.apply(fx.ctx, change('create', memory))).outcome, 'applied');
    // Someone edits the client entry and the inventory's spec the same way, keeping the hash.
    const inventoryFile = '.local/state/mcp-gitops/inventory/dev/laptop.json';
    const inventory = JSON.parse(await fx.read(inventoryFile));
    const owned = inventory.servers.memory;
    assert.equal(owned.specHash, memory.specHash);
    owned.spec = { ...owned.spec, args: ['--evil'] };
    await fs.writeFile(fx.file(inventoryFile), JSON.stringify(inventory));
    const cursor = JSON.parse(await fx.read('src/app/.cursor/mcp.json'));
    cursor.mcpServers.memory.args = [...cursor.mcpServers.memory.args, '--evil'];
    await fs.writeFile(fx.file('src/app/.cursor/mcp.json'), JSON.stringify(cursor));

    const observed = await provider.observe(fx.ctx);
    const diffs = diffFields(observed.servers[0]!.actual, provider.render(memory, fx.target, fx.environment));
    assert.ok(
      diffs.some((d) => d.path.startsWith('cursor.args')),
      `drift in cursor.args: ${JSON.stringify(diffs)}`,
    );
  });

  test('a user entry of the same name is not ours: observe ignores it and delete of an unowned server touches nothing', async (t) => {
    const fx = await makeFixture({ clients: ['claude-code'] });
    t.after(fx.cleanup);
    const observed = await provider.observe(fx.ctx);
    assert.deepEqual(observed.servers, []);
    const result = await provider.apply(fx.ctx, change('delete', 'mine'));
    assert.equal(result.outcome, 'applied');
    assert.match(String(result.message), /not in the inventory/);
    assert.equal(await fx.read('src/app/.mcp.json'), USER_FILES['src/app/.mcp.json']);
  });

  test('materializeSecrets writes values into files of mode 0600, and observe never reports them', async (t) => {
    const fx = await makeFixture({ clients: ['claude-desktop', 'cursor'], materializeSecrets: true });
    t.after(fx.cleanup);
    const result = await provider.apply(fx.ctx, change('create', memory));
    assert.equal(result.outcome, 'applied', result.message);
    for (const rel of ['.config/Claude/claude_desktop_config.json', 'src/app/.cursor/mcp.json']) {
      assert.ok((await fx.read(rel)).includes(`"MEMORY_TOKEN": "${CANARY}"`), rel);
      assert.equal((await fs.stat(fx.file(rel))).mode & 0o777, 0o600, rel);
    }
    assert.equal(redactor.redact(CANARY), REDACTED, 'the resolved value is registered for redaction');
    const observed = await provider.observe(fx.ctx);
    assert.ok(!JSON.stringify(observed).includes(CANARY));
    assert.deepEqual(
      diffFields(observed.servers[0]!.actual, provider.render(memory, fx.target, fx.environment)),
      [],
    );
    // A hand-changed value is drift, reported without the value.
    const rel = 'src/app/.cursor/mcp.json';
    await fs.writeFile(fx.file(rel), (await fx.read(rel)).replace(CANARY, 'typed-by-hand-secret'));
    const drifted = await provider.observe(fx.ctx);
    const diffs = diffFields(drifted.servers[0]!.actual, provider.render(memory, fx.target, fx.environment));
    assert.deepEqual(
      diffs.map((d) => d.path),
      ['cursor.env.MEMORY_TOKEN'],
    );
    assert.ok(!JSON.stringify(diffs).includes('typed-by-hand-secret'));
  });

  test('a client file that is not valid JSON fails the change and no file is touched', async (t) => {
    const broken = '{\n  "mcpServers": { "mine": { "command": "x" },, }\n}\n';
    const fx = await makeFixture(
      { clients: ['claude-code', 'cursor'] },
      { ...USER_FILES, 'src/app/.cursor/mcp.json': broken },
    );
    t.after(fx.cleanup);
    const result = await provider.apply(fx.ctx, change('create', memory));
    assert.equal(result.outcome, 'failed');
    assert.match(String(result.message), /\.cursor\/mcp\.json:2:\d+: not valid JSON/);
    assert.equal(await fx.read('src/app/.cursor/mcp.json'), broken);
    assert.equal(
      await fx.read('src/app/.mcp.json'),
      USER_FILES['src/app/.mcp.json'],
      'parsed before anything is written',
    );
    const files = await listFiles(fx.home);
    assert.deepEqual(
      files.filter((f) => f.includes('inventory') || f.endsWith('.bak') || f.endsWith('.tmp')),
      [],
    );
  });

  test('a commented Gemini settings.json with trailing commas is reconciled and keeps every byte of the user', async (t) => {
    const settings =
      '// my Gemini settings\n{\n  "theme": "GitHub", // light\n  /* editor */\n  "general": { "vimMode": true, },\n  "mcpServers": {\n    // started by hand\n    "mine": { "command": "my-server", },\n  },\n}\n';
    const rel = 'src/app/.gemini/settings.json';
    const fx = await makeFixture({ clients: ['gemini-cli'] }, { [rel]: settings });
    t.after(fx.cleanup);
    const inSync = async (server: typeof memory) => {
      const observed = await provider.observe(fx.ctx);
      assert.deepEqual(
        diffFields(observed.servers[0]!.actual, provider.render(server, fx.target, fx.environment)),
        [],
      );
    };

    const created = await provider.apply(fx.ctx, change('create', memory));
    assert.equal(created.outcome, 'applied', created.message);
    const text = await fx.read(rel);
    const closing = '  },\n}\n';
    const userPart = settings.slice(0, -closing.length);
    assert.ok(
      text.startsWith(userPart) && text.endsWith(closing),
      'the entry is inserted before the closing brackets; nothing else changes',
    );
    const errors: ParseError[] = [];
    const data = parseJsonc(text, errors, { allowTrailingComma: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(data.mcpServers.mine, { command: 'my-server' });
    assert.match(text, /"MEMORY_TOKEN": "\$\{MEMORY_TOKEN\}"/);
    await inSync(memory);

    const v2 = desired('memory', {
      ...memory.spec,
      package: { ...memory.spec.package!, version: '2026.9.1' },
    });
    assert.equal((await provider.apply(fx.ctx, change('update', v2))).outcome, 'applied');
    assert.ok((await fx.read(rel)).startsWith(userPart));
    await inSync(v2);

    assert.equal((await provider.apply(fx.ctx, change('delete', 'memory'))).outcome, 'applied');
    assert.equal(await fx.read(rel), settings, 'delete gives back the file byte for byte');
  });

  test('a Gemini settings.json with an unclosed brace is refused, naming the file, and left untouched', async (t) => {
    const broken = '{\n  // my settings\n  "theme": "GitHub",\n  "general": { "vimMode": true }\n';
    const rel = 'src/app/.gemini/settings.json';
    const fx = await makeFixture({ clients: ['gemini-cli'] }, { [rel]: broken });
    t.after(fx.cleanup);
    const result = await provider.apply(fx.ctx, change('create', memory));
    assert.equal(result.outcome, 'failed');
    assert.match(
      String(result.message),
      /\/src\/app\/\.gemini\/settings\.json:5:1: not valid JSON \(CloseBraceExpected\); left untouched/,
    );
    assert.equal(await fx.read(rel), broken);
    assert.deepEqual(await listFiles(fx.home), [rel]);
  });

  test('clients dropped from the target lose the entry on the next update', async (t) => {
    const fx = await makeFixture({ clients: ['claude-code', 'cursor'] });
    t.after(fx.cleanup);
    assert.equal((await provider.apply(fx.ctx, change('create', memory))).outcome, 'applied');
    fx.target.settings.clients = ['claude-code'];
    const observed = await provider.observe(fx.ctx);
    const diffs = diffFields(observed.servers[0]!.actual, provider.render(memory, fx.target, fx.environment));
    assert.ok(diffs.some((d) => d.path.startsWith('cursor')));
    assert.equal((await provider.apply(fx.ctx, change('update', memory))).outcome, 'applied');
    assert.equal(await fx.read('src/app/.cursor/mcp.json'), USER_FILES['src/app/.cursor/mcp.json']);
    assert.match(await fx.read('src/app/.mcp.json'), /"memory"/);
  });
});

describe('client-config: URLs, endpoints and settings', () => {
  test('a streamable-http server run by a local process target is registered at 127.0.0.1:<port><path>', async (t) => {
    const fx = await makeFixture({ clients: ['claude-code', 'gemini-cli'] });
    t.after(fx.cleanup);
    const served = desired('everything', {
      transport: 'streamable-http',
      package: {
        registryType: 'npm',
        identifier: '@modelcontextprotocol/server-everything',
        version: '2026.8.31',
      },
      port: 40311,
      path: '/mcp',
    });
    fx.environment.targets.push({
      ...fx.target,
      name: 'services',
      provider: 'process',
      settings: { name: 'services', provider: 'process' },
      servers: [served],
    });
    assert.deepEqual(provider.render(served, fx.target, fx.environment), {
      'claude-code': { type: 'http', url: 'http://127.0.0.1:40311/mcp' },
      'gemini-cli': { httpUrl: 'http://127.0.0.1:40311/mcp' },
    });
    assert.deepEqual(await provider.endpoint(fx.ctx, served), {
      kind: 'http',
      url: 'http://127.0.0.1:40311/mcp',
      transport: 'streamable-http',
    });
    // Without a serving target there is no URL: the change fails and says what to do.
    fx.environment.targets.pop();
    const result = await provider.apply(fx.ctx, change('create', served));
    assert.equal(result.outcome, 'failed');
    assert.match(
      String(result.message),
      /has no URL: give it a remote.url, or run it on a process or container target/,
    );
  });

  test('the stdio endpoint is the clients command line with secrets resolved and registered for redaction', async (t) => {
    const fx = await makeFixture({ clients: ['cursor'] });
    t.after(fx.cleanup);
    const endpoint = await provider.endpoint(fx.ctx, memory);
    assert.deepEqual(endpoint, {
      kind: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-memory@2026.8.31'],
      env: { HOME: fx.home, LOG_LEVEL: 'info', MEMORY_TOKEN: CANARY },
      cwd: fx.home,
    });
    assert.equal(redactor.redact(`x ${CANARY}`), `x ${REDACTED}`);
  });

  test('validateTarget and supports', () => {
    assert.deepEqual(
      provider.validateTarget({ name: 't', provider: 'client-config', clients: ['cursor'] }),
      [],
    );
    assert.match(
      provider.validateTarget({ name: 't', provider: 'client-config' })[0]!,
      /^clients: list the MCP clients/,
    );
    assert.deepEqual(
      provider.validateTarget({
        name: 't',
        provider: 'client-config',
        clients: ['cursor', 'no-such-client', 'cursor'],
        projectDir: 'rel/dir',
      }),
      [
        `clients[1]: unknown MCP client "no-such-client" (valid: ${clientIds().join(', ')})`,
        'clients[2]: "cursor" is listed twice',
        'projectDir: must be an absolute path or start with ~/',
      ],
    );
    assert.deepEqual(provider.validateTarget({ name: 't', provider: 'client-config', clients: ['vscode'] }), [
      'projectDir: required by vscode (project-scoped config files only)',
    ]);
    const desktop = { name: 't', provider: 'client-config', clients: ['claude-desktop'] };
    assert.equal(provider.supports(memory.spec, desktop), false, 'Claude Desktop cannot reference secrets');
    assert.equal(provider.supports(memory.spec, { ...desktop, materializeSecrets: true }), true);
    assert.equal(provider.supports({ ...memory.spec, secrets: [] }, desktop), true);
    assert.equal(provider.supports({ transport: 'stdio' }, { ...desktop, clients: ['cursor'] }), false);
  });
});

describe('client-config: ownership', () => {
  test("creating a server whose name the user already uses fails and leaves the user's entry alone", async (t) => {
    const fx = await makeFixture({ clients: ['claude-code', 'cursor'] });
    t.after(fx.cleanup);
    const clash = desired('mine', memory.spec);
    const result = await provider.apply(fx.ctx, change('create', clash));
    assert.equal(result.outcome, 'failed');
    assert.match(
      String(result.message),
      /^claude-code: .*\.mcp\.json already has a server "mine" that mcp-gitops does not manage/,
    );
    assert.equal(await fx.read('src/app/.mcp.json'), USER_FILES['src/app/.mcp.json']);
    assert.equal(await fx.read('src/app/.cursor/mcp.json'), USER_FILES['src/app/.cursor/mcp.json']);
  });

  test('an identical entry left by a lost inventory is adopted', async (t) => {
    const fx = await makeFixture({ clients: ['cursor'] });
    t.after(fx.cleanup);
    assert.equal((await provider.apply(fx.ctx, change('create', memory))).outcome, 'applied');
    await fs.rm(fx.file('.local/state'), { recursive: true });
    const again = await provider.apply(fx.ctx, change('create', memory));
    assert.equal(again.outcome, 'applied', again.message);
    assert.deepEqual(
      (await provider.observe(fx.ctx)).servers.map((s) => s.name),
      ['memory'],
    );
  });
});

describe('client-config: home expansion', () => {
  test('~/ in command, args and env becomes the target home (clients start servers without a shell)', async (t) => {
    const fx = await makeFixture({ clients: ['cursor', 'codex'] });
    t.after(fx.cleanup);
    const local = desired('local', {
      transport: 'stdio',
      command: { path: '~/bin/server', args: ['--data', '~/data', 'literal~/x'] },
      env: { MEMORY_FILE_PATH: '~/.mcp-gitops/data/memory.jsonl' },
    });
    assert.equal((await provider.apply(fx.ctx, change('create', local))).outcome, 'applied');
    const entry = JSON.parse(await fx.read('src/app/.cursor/mcp.json')).mcpServers.local;
    assert.deepEqual(entry, {
      command: `${fx.home}/bin/server`,
      args: ['--data', `${fx.home}/data`, 'literal~/x'],
      env: { MEMORY_FILE_PATH: `${fx.home}/.mcp-gitops/data/memory.jsonl` },
    });
    assert.match(await fx.read('.codex/config.toml'), new RegExp(`command = "${fx.home}/bin/server"`));
    const endpoint = await provider.endpoint(fx.ctx, local);
    assert.equal(
      endpoint?.kind === 'stdio' && endpoint.env.MEMORY_FILE_PATH,
      `${fx.home}/.mcp-gitops/data/memory.jsonl`,
    );
    const observed = await provider.observe(fx.ctx);
    assert.deepEqual(
      diffFields(observed.servers[0]!.actual, provider.render(local, fx.target, fx.environment)),
      [],
    );
  });
});
