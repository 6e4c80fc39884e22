// biome-ignore-all lint/suspicious/noTemplateCurlyInString: client files hold literal ${VAR} references
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { headerPath } from '../../src/clients/codex/edit-toml.js';
import { getClient } from '../../src/clients/registry.js';
import type { ClientEntry } from '../../src/clients/types.js';
import { McpGitopsError } from '../../src/core/errors.js';

const entry: ClientEntry = { command: 'npx', args: ['-y', 'pkg@1.0.0'], env: { A: '${A}' } };

/** A user's file: their own server, unknown keys before and after, four-space indentation. */
const userJson = (key: string) =>
  '{\n    "theme": "dark",\n    "numStartups": 12,\n    "' +
  key +
  '": {\n        "mine": { "command": "my-server", "args": ["--flag"] }\n    },\n    "projects": { "/x": { "allowedTools": [] } }\n}\n';

describe('JSON clients: structural edits only', () => {
  for (const [id, key] of [
    ['claude-code', 'mcpServers'],
    ['claude-desktop', 'mcpServers'],
    ['cursor', 'mcpServers'],
    ['gemini-cli', 'mcpServers'],
    ['vscode', 'servers'],
  ] as const) {
    test(`${id}: create, update, delete keep every other byte`, () => {
      const client = getClient(id);
      const original = userJson(key);
      const doc = client.parse(original, 'f.json');
      client.writeEntry(doc, 'ours', entry);
      const created = JSON.parse(client.serialize(doc));
      const expected = JSON.parse(original);
      expected[key].ours = entry;
      assert.deepEqual(created, expected);
      assert.deepEqual(Object.keys(created), Object.keys(expected), 'key order kept');
      assert.match(
        client.serialize(doc),
        /\n {8}"ours": \{\n {12}"command": "npx",/,
        'indented like the file',
      );
      assert.ok(
        client.serialize(doc).includes('"mine": { "command": "my-server", "args": ["--flag"] }'),
        'user entry byte for byte',
      );

      client.writeEntry(doc, 'ours', { ...entry, args: ['-y', 'pkg@2.0.0'] });
      assert.deepEqual(client.readEntries(doc).ours, { ...entry, args: ['-y', 'pkg@2.0.0'] });
      assert.deepEqual(client.readEntries(doc).mine, { command: 'my-server', args: ['--flag'] });

      client.removeEntry(doc, 'ours');
      assert.equal(client.serialize(doc), original, 'delete restores the file exactly');
    });
  }

  test('a missing or empty file starts as a fresh document', () => {
    const client = getClient('cursor');
    const doc = client.parse(undefined, 'f.json');
    client.writeEntry(doc, 'ours', entry);
    assert.deepEqual(JSON.parse(client.serialize(doc)), { mcpServers: { ours: entry } });
    assert.match(client.serialize(doc), /^\{\n {2}"mcpServers": \{\n {4}"ours": \{/);
    const blank = client.parse('   \n', 'f.json');
    assert.deepEqual(client.readEntries(blank), {});
  });

  test('invalid JSON fails with the file, line and column', () => {
    const bad = '{\n  "mcpServers": {\n    "a": { "command": "x" },,\n  }\n}\n';
    assert.throws(
      () => getClient('claude-code').parse(bad, '/h/.mcp.json'),
      (e: unknown) =>
        e instanceof McpGitopsError &&
        e.code === 'ERR_IO' &&
        /^\/h\/\.mcp\.json:3:\d+: not valid JSON/.test(e.message),
    );
    assert.throws(
      () => getClient('cursor').parse('{ "a": 1 /* unclosed\n}', 'c.json'),
      /: c\.json:1:10: not valid JSON \(UnexpectedEndOfComment\)/,
    );
    assert.throws(() => getClient('cursor').parse('[1, 2]', 'c.json'), /top level is a array/);
    assert.throws(
      () => getClient('cursor').readEntries(getClient('cursor').parse('{"mcpServers": 3}', 'c.json')),
      /"mcpServers" is not an object/,
    );
  });

  test('VS Code: JSONC comments survive; secret inputs are added and removed with their servers', () => {
    const client = getClient('vscode');
    const original =
      '{\n  // my workspace servers\n  "servers": {\n    "mine": { "type": "stdio", "command": "x" }, // keep me\n  },\n  "inputs": [\n    { "type": "promptString", "id": "my-key", "description": "mine", "password": true }\n  ]\n}\n';
    const doc = client.parse(original, '.vscode/mcp.json');
    const withInput = {
      type: 'stdio',
      command: 'npx',
      args: [],
      env: { TOKEN: '${input:mcp-gitops-ours-TOKEN}' },
    };
    client.writeEntry(doc, 'ours', withInput);
    const text = client.serialize(doc);
    assert.ok(text.includes('// my workspace servers') && text.includes('// keep me'));
    assert.deepEqual(client.readEntries(doc).ours, withInput);
    assert.match(text, /"id": "my-key"/);
    assert.match(
      text,
      /"id": "mcp-gitops-ours-TOKEN",\n\s+"description": "TOKEN for MCP server \\"ours\\" \(managed by mcp-gitops\)",\n\s+"password": true/,
    );
    client.writeEntry(doc, 'ours', withInput);
    assert.equal(
      client.serialize(doc).split('mcp-gitops-ours-TOKEN').length - 1,
      2,
      'one input, one reference: no duplicates',
    );
    client.removeEntry(doc, 'ours');
    assert.ok(!client.serialize(doc).includes('mcp-gitops-ours-TOKEN'));
    assert.ok(client.serialize(doc).includes('"id": "my-key"'), "the user's input stays");
  });
});

describe('Codex: TOML', () => {
  const original = `model = "o3"
approval_policy = "on-request"

[mcp_servers.mine]
command = "my-server"
args = ["--flag"]
startup_timeout_sec = 20

[mcp_servers.mine.env]
MY_VAR = "1"

[profiles.fast]
model = "o4-mini"
`;

  test('round trip keeps unknown keys and the user tables; delete restores the same data', () => {
    const client = getClient('codex');
    const doc = client.parse(original, 'config.toml');
    const ours = {
      command: 'npx',
      args: ['-y', 'pkg@1.0.0'],
      env: { LOG: 'debug' },
      env_vars: ['API_TOKEN'],
    };
    client.writeEntry(doc, 'ours', ours);
    const text = client.serialize(doc);
    const plain = (t: string) => JSON.parse(JSON.stringify(parseToml(t)));
    const data = plain(text);
    const expected = plain(original);
    assert.deepEqual(data, { ...expected, mcp_servers: { ...expected.mcp_servers, ours } });
    assert.match(text, /\[mcp_servers\.ours\]\ncommand = "npx"/);
    assert.deepEqual(client.readEntries(client.parse(text, 'config.toml')).ours, ours);
    client.removeEntry(doc, 'ours');
    assert.deepEqual(plain(client.serialize(doc)), expected);
  });

  test("the user's comments and layout survive: only the server's own tables change", () => {
    const commented = `# my Codex settings
model = "o3"   # the default model
approval_policy = "on-request"

# a server I run myself
[mcp_servers.mine]
command = "my-server"
args = ["--flag"]

[mcp_servers.mine.env]
MY_VAR = "1"   # keep

# fast profile
[profiles.fast]
model = "o4-mini"
`;
    const client = getClient('codex');
    const doc = client.parse(commented, 'config.toml');
    client.writeEntry(doc, 'ours', { command: 'npx', args: ['-y', 'pkg@1.0.0'], env: { LOG: 'debug' } });
    const added = client.serialize(doc);
    // A new server goes after the user's server tables, before the next table and its comment.
    const [servers, profiles] = commented.split('\n# fast profile\n');
    assert.equal(
      added,
      `${servers}\n[mcp_servers.ours]\ncommand = "npx"\nargs = [ "-y", "pkg@1.0.0" ]\n\n[mcp_servers.ours.env]\nLOG = "debug"\n\n# fast profile\n${profiles}`,
    );
    client.writeEntry(doc, 'ours', { url: 'http://127.0.0.1:3001/mcp' });
    assert.equal(
      client.serialize(doc),
      `${servers}\n[mcp_servers.ours]\nurl = "http://127.0.0.1:3001/mcp"\n\n# fast profile\n${profiles}`,
    );
    client.removeEntry(doc, 'ours');
    assert.equal(
      client.serialize(doc),
      commented,
      'removing our table gives back the file as the user wrote it',
    );
  });

  test('an entry the user wrote inline is still replaced correctly (whole file re-serialized)', () => {
    const inline = 'mcp_servers = { ours = { command = "old" } }\nmodel = "o3"\n';
    const client = getClient('codex');
    const doc = client.parse(inline, 'config.toml');
    client.writeEntry(doc, 'ours', { command: 'npx' });
    const data = JSON.parse(JSON.stringify(parseToml(client.serialize(doc))));
    assert.deepEqual(data, { model: 'o3', mcp_servers: { ours: { command: 'npx' } } });
  });

  test('header paths: bare, quoted and dotted keys; array tables are not server tables', () => {
    assert.deepEqual(headerPath('[mcp_servers."my.srv".env]  # c'), ['mcp_servers', 'my.srv', 'env']);
    assert.deepEqual(headerPath("[ mcp_servers . 'a b' ]"), ['mcp_servers', 'a b']);
    assert.deepEqual(headerPath('[[mcp_servers.x]]'), []);
    assert.equal(headerPath('key = "[not a header]"'), undefined);
  });

  test('invalid TOML fails with the file and position', () => {
    assert.throws(
      () => getClient('codex').parse('[mcp_servers.a\ncommand = 1\n', '/h/.codex/config.toml'),
      (e: unknown) =>
        e instanceof McpGitopsError && /^\/h\/\.codex\/config\.toml:1:\d+: not valid TOML/.test(e.message),
    );
    assert.throws(
      () => getClient('codex').parse('mcp_servers = 3\n', 'c.toml'),
      /"mcp_servers" is not a table/,
    );
  });
});
