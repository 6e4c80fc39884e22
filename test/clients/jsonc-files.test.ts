/**
 * Every JSON client adapter reads what its client reads — comments and trailing commas (JSONC) —
 * and keeps it: a create, an update and a delete of a managed entry change only that entry's text.
 * The adapters come from the registry, so a new JSON client is covered without editing this file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { clientIds, getClient } from '../../src/clients/registry.js';
import type { ClientAdapter, ClientDocument, ClientEntry, ClientId } from '../../src/clients/types.js';
import { McpGitopsError } from '../../src/core/errors.js';
import type { DesiredServer } from '../../src/core/state.js';

const KNOWN_JSON_CLIENTS: ClientId[] = ['claude-code', 'claude-desktop', 'cursor', 'gemini-cli', 'vscode'];

/** Every registered client whose file is JSON (by its file name), in registry order. */
const jsonClients = clientIds()
  .map(getClient)
  .filter((c) => c.path({ projectDir: '/p' }, { home: '/h' }).endsWith('.json'));

/** The top-level key an adapter keeps its servers under, found by writing an entry into an empty file. */
function serversKey(client: ClientAdapter): string {
  const doc = client.parse(undefined, 'probe.json');
  client.writeEntry(doc, 'probe', { command: 'probe' });
  return Object.keys(JSON.parse(client.serialize(doc)))[0]!;
}

/** The user's hand-made server, with their comments and trailing commas, as it must stay. */
const USER_ENTRY = `// a server I run myself
    "mine": {
      "command": "my-server",
      "args": ["--flag",], // a trailing comma in an array
    }, // keep me next to "mine"`;

const COMMENTS = [
  '// Settings I keep by hand: mcp-gitops must not lose these notes.',
  '/* appearance */',
  '// my favourite',
  '// a server I run myself',
  '// a trailing comma in an array',
  '// keep me next to "mine"',
  '/* trailing commas\n     everywhere */',
  '// the end',
];

const commentedFile = (key: string) => `// Settings I keep by hand: mcp-gitops must not lose these notes.
{
  /* appearance */
  "theme": "dark", // my favourite
  "${key}": {
    ${USER_ENTRY}
  },
  "projects": { "/x": { "allowedTools": [], }, }, /* trailing commas
     everywhere */
}
// the end
`;

function server(version: string, env: Record<string, string>): DesiredServer {
  return {
    name: 'ours',
    spec: {
      transport: 'stdio',
      package: { registryType: 'npm', identifier: '@acme/mcp-notes', version },
      env,
    },
    specHash: `sha256:${version}`,
  };
}

/** One provider-style edit: read the file, parse it, change the document, write it back if it changed. */
async function edit(client: ClientAdapter, file: string, change: (doc: ClientDocument) => void) {
  const before = await fs.readFile(file, 'utf8');
  const doc = client.parse(before, file);
  change(doc);
  const after = client.serialize(doc);
  if (after !== before) await fs.writeFile(file, after);
  return { before, after };
}

/** The text a file holds as JSONC data; any parse error fails the test. */
function parseJsonc(text: string): Record<string, Record<string, unknown>> {
  const errors: jsonc.ParseError[] = [];
  const data = jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  assert.deepEqual(
    errors.map((e) => `${jsonc.printParseErrorCode(e.error)} at ${e.offset}`),
    [],
    'the file parses as JSONC',
  );
  return JSON.parse(JSON.stringify(data));
}

/** [start, end) of the managed property `"ours": …` in `text`. */
function managedRange(text: string, key: string): { start: number; end: number } {
  const node = jsonc.findNodeAtLocation(jsonc.parseTree(text, [], { allowTrailingComma: true })!, [
    key,
    'ours',
  ]);
  assert.ok(node?.parent, 'the managed entry is in the file');
  return { start: node.parent.offset, end: node.parent.offset + node.parent.length };
}

/** Where two texts differ: one region, by their longest common prefix and suffix. */
function difference(before: string, after: string) {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (
    tail < before.length - start &&
    tail < after.length - start &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  ) {
    tail++;
  }
  return {
    start,
    removed: before.slice(start, before.length - tail),
    added: after.slice(start, after.length - tail),
    beforeEnd: before.length - tail,
    afterEnd: after.length - tail,
  };
}

function assertUserPartsKept(text: string, label: string): void {
  for (const comment of COMMENTS) assert.ok(text.includes(comment), `${label}: comment ${comment} kept`);
  assert.ok(text.includes(USER_ENTRY), `${label}: the user's entry kept byte for byte`);
}

describe('JSON clients read JSONC and keep it', () => {
  test('the registry yields every JSON adapter', () => {
    const ids = jsonClients.map((c) => c.id);
    for (const id of KNOWN_JSON_CLIENTS) assert.ok(ids.includes(id), `${id} is tested`);
    assert.ok(!ids.includes('codex'), 'TOML clients are not JSON clients');
  });

  for (const client of jsonClients) {
    test(`${client.id}: comments, trailing commas and the user's entry survive create, update and delete`, async (t) => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-jsonc-'));
      t.after(() => fs.rm(dir, { recursive: true, force: true }));
      const file = client.path({ projectDir: path.join(dir, 'project') }, { home: dir, platform: 'linux' });
      const key = serversKey(client);
      const original = commentedFile(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, original);
      const userData = parseJsonc(original);
      const v1 = server('1.0.0', { LOG_LEVEL: 'info' });
      const v2 = server('2.0.0', { LOG_LEVEL: 'debug', NOTES_DIR: '/srv/notes' });
      assert.equal(client.unsupported(v1.spec, 'reference'), undefined);
      const entry1: ClientEntry = client.entryFor(v1, { secretsMode: 'reference' });
      const entry2: ClientEntry = client.entryFor(v2, { secretsMode: 'reference' });

      // Create: the only change is the managed entry, inserted as a whole.
      const created = await edit(client, file, (doc) => {
        assert.deepEqual(client.readEntries(doc), { mine: { command: 'my-server', args: ['--flag'] } });
        client.writeEntry(doc, 'ours', entry1);
      });
      assertUserPartsKept(created.after, 'create');
      const added = difference(original, created.after);
      assert.equal(added.removed, '', 'create removes nothing');
      const range = managedRange(created.after, key);
      assert.equal(
        added.added.replace(/^[\s,]+|[\s,]+$/g, ''),
        created.after.slice(range.start, range.end),
        'create inserts the managed entry and nothing else',
      );
      const data = parseJsonc(created.after);
      assert.deepEqual(data[key]!.ours, entry1);
      assert.deepEqual(
        { ...data, [key]: { ...data[key] } },
        {
          ...userData,
          [key]: { ...userData[key], ours: entry1 },
        },
      );

      // Update: the changed text lies inside the managed entry, before and after.
      const updated = await edit(client, file, (doc) => {
        assert.deepEqual(client.readEntries(doc).ours, entry1);
        client.writeEntry(doc, 'ours', entry2);
      });
      assertUserPartsKept(updated.after, 'update');
      const diff = difference(updated.before, updated.after);
      const old = managedRange(updated.before, key);
      const now = managedRange(updated.after, key);
      assert.ok(diff.start >= old.start && diff.beforeEnd <= old.end, 'update changes only the old entry');
      assert.ok(diff.start >= now.start && diff.afterEnd <= now.end, 'update writes only the new entry');
      assert.deepEqual(parseJsonc(updated.after)[key]!.ours, entry2);
      assert.deepEqual(client.readEntries(client.parse(updated.after, file)).ours, entry2);

      // Delete: the file is again exactly what the user wrote.
      const deleted = await edit(client, file, (doc) => client.removeEntry(doc, 'ours'));
      assert.equal(deleted.after, original, 'delete gives back the file byte for byte');
      assert.equal(await fs.readFile(file, 'utf8'), original);
    });

    test(`${client.id}: a broken file is refused, naming the file, and left untouched`, async (t) => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcp-gitops-jsonc-'));
      t.after(() => fs.rm(dir, { recursive: true, force: true }));
      const file = client.path({ projectDir: path.join(dir, 'project') }, { home: dir, platform: 'linux' });
      // Unclosed braces: the user's entry and the file itself never end.
      const broken = `{\n  // mine\n  "${serversKey(client)}": {\n    "mine": { "command": "my-server" }\n`;
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, broken);
      await assert.rejects(
        edit(client, file, (doc) => client.writeEntry(doc, 'ours', { command: 'npx' })),
        (e: unknown) =>
          e instanceof McpGitopsError &&
          e.code === 'ERR_IO' &&
          e.message.startsWith(`${file}:5:1: not valid JSON (CloseBraceExpected)`),
      );
      assert.equal(await fs.readFile(file, 'utf8'), broken);
      assert.deepEqual(await fs.readdir(path.dirname(file)), [path.basename(file)]);
    });
  }
});

describe('JSONC layouts: only the managed entry changes', () => {
  const cursor = getClient('cursor');
  const entry: ClientEntry = { command: 'npx', args: ['-y', 'pkg@1.0.0'] };

  /** Create then delete through the adapter: returns the text with our entry in it. */
  function roundTrip(original: string): string {
    const doc = cursor.parse(original, 'mcp.json');
    cursor.writeEntry(doc, 'ours', entry);
    const created = doc.text;
    assert.deepEqual(cursor.readEntries(cursor.parse(created, 'mcp.json')).ours, entry);
    cursor.removeEntry(doc, 'ours');
    assert.equal(cursor.serialize(doc), original, 'delete restores the file exactly');
    return created;
  }

  test('no trailing comma and a comment after the last entry: the comma goes before the comment', () => {
    const created = roundTrip('{\n  "mcpServers": {\n    "mine": { "command": "x" } // mine\n  }\n}\n');
    assert.match(created, /"mine": \{ "command": "x" \}, \/\/ mine\n {4}"ours": \{\n/);
    assert.match(created, /\n {4}\}\n {2}\}\n\}\n$/, 'no trailing comma added to a file without them');
  });

  test('a trailing comma after the last entry: the new entry gets one too', () => {
    const created = roundTrip('{\n  "mcpServers": {\n    "mine": { "command": "x" }, /* mine */\n  },\n}\n');
    assert.match(created, /"mine": \{ "command": "x" \}, \/\* mine \*\/\n {4}"ours": \{\n/);
    assert.match(created, /\n {4}\},\n {2}\},\n\}\n$/);
  });

  test('an object holding only a comment, an empty object and a missing key', () => {
    const created = roundTrip('{\n  "mcpServers": {\n    // none yet\n  }\n}\n');
    assert.match(created, /\{\n {4}\/\/ none yet\n {4}"ours": \{\n/);
    roundTrip('{\n  "mcpServers": {},\n  "x": 1\n}\n');
    const inline = cursor.parse('{\n  "mcpServers": { /* none */ }\n}\n', 'mcp.json');
    cursor.writeEntry(inline, 'ours', entry);
    cursor.removeEntry(inline, 'ours');
    assert.equal(inline.text, '{\n  "mcpServers": { /* none */ \n  }\n}\n', 'the comment stays');
    const doc = cursor.parse('{\n  // only a comment\n}\n', 'mcp.json');
    cursor.writeEntry(doc, 'ours', entry);
    assert.ok(doc.text.startsWith('{\n  // only a comment\n  "mcpServers": {\n    "ours": {'));
  });

  test('CRLF and tabs are kept', () => {
    const created = roundTrip('{\r\n\t// tabs\r\n\t"mcpServers": {\r\n\t\t"mine": {},\r\n\t}\r\n}\r\n');
    assert.ok(!/[^\r]\n/.test(created), 'every line ends in CRLF');
    assert.match(created, /\r\n\t\t"ours": \{\r\n\t\t\t"command": "npx",/);
  });

  test('a one-line file is broken into lines around the new entry; the user entry keeps its text', () => {
    const doc = cursor.parse('{"mcpServers": {"mine": {"command": "x"}}, "x": 1}', 'mcp.json');
    cursor.writeEntry(doc, 'ours', { command: 'npx', args: ['-y'] });
    assert.equal(
      doc.text,
      '{\n  "mcpServers": {\n    "mine": {"command": "x"},\n    "ours": {\n      "command": "npx",\n      "args": [\n        "-y"\n      ]\n    }\n  },\n  "x": 1\n}',
    );
    cursor.removeEntry(doc, 'ours');
    assert.equal(doc.text, '{\n  "mcpServers": {\n    "mine": {"command": "x"}\n  },\n  "x": 1\n}');
    const empty = cursor.parse('{"mcpServers": {}}\n', 'mcp.json');
    cursor.writeEntry(empty, 'ours', { command: 'npx' });
    assert.equal(empty.text, '{\n  "mcpServers": {\n    "ours": {\n      "command": "npx"\n    }\n  }\n}\n');
  });

  test('the indent unit is the smallest in the file, even when the first indented line is deeper', () => {
    const doc = cursor.parse('{"mcpServers": {\n        "mine": {}\n    }\n}\n', 'mcp.json');
    cursor.writeEntry(doc, 'ours', { command: 'npx' });
    assert.match(doc.text, /\n {8}"ours": \{\n {12}"command": "npx"\n {8}\}\n/);
  });

  test("the user's entries and comments after ours stay when ours is removed", () => {
    const before =
      '{\n  "mcpServers": {\n    "ours": { "command": "old" },\n    // added later by hand\n    "mine": { "command": "x" }\n  }\n}\n';
    const doc = cursor.parse(before, 'mcp.json');
    cursor.removeEntry(doc, 'ours');
    assert.equal(
      doc.text,
      '{\n  "mcpServers": {\n    // added later by hand\n    "mine": { "command": "x" }\n  }\n}\n',
    );
    const last = cursor.parse(
      '{\n  "mcpServers": {\n    "mine": { "command": "x" }, // mine\n    // ours below\n    "ours": { "command": "old" } // ours\n  }\n}\n',
      'mcp.json',
    );
    cursor.removeEntry(last, 'ours');
    assert.equal(
      last.text,
      '{\n  "mcpServers": {\n    "mine": { "command": "x" } // mine\n    // ours below\n    // ours\n  }\n}\n',
      'comments around a removed last entry stay; the separator goes',
    );
  });
});
