/**
 * A JSON client document applies its queued entry writes in one pass (json-entry-batch.ts): the
 * bytes must be exactly those of setJsonValue applied one write at a time, on every JSON adapter
 * of the registry and on files with comments, trailing commas, tabs, CRLF, one-line objects, an
 * entry closing on the servers object's line, an odd indentation, and a style that only a replaced
 * entry carries. Writes, removes and reads are interleaved by a seeded generator, so the
 * optimisation cannot drift from the one-at-a-time path. A second test checks that a batch is one
 * pass: the file is parsed a bounded number of times, whatever the number of writes.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type * as Jsonc from 'jsonc-parser';
import {
  parseJsonDocument,
  readJsonMap,
  removeJsonValue,
  setJsonValue,
} from '../../src/clients/json-document.js';
import { clientIds, getClient } from '../../src/clients/registry.js';
import type { ClientAdapter, ClientEntry } from '../../src/clients/types.js';
import { McpGitopsError } from '../../src/core/errors.js';

/**
 * Every registered client whose file is JSON and whose entry write is the plain JSON-map write
 * (VS Code also edits `inputs` after each write, reading the text, so it has no batch to compare).
 */
const jsonClients = clientIds()
  .map(getClient)
  .filter((c) => c.path({ projectDir: '/p' }, { home: '/h' }).endsWith('.json') && c.id !== 'vscode');

function serversKey(client: ClientAdapter): string {
  const doc = client.parse(undefined, 'probe.json');
  client.writeEntry(doc, 'probe', { command: 'probe' });
  return Object.keys(JSON.parse(client.serialize(doc)))[0]!;
}

/** Files as users and clients write them; `K` is the adapter's servers key. */
const FILES: Record<string, (k: string) => string | undefined> = {
  none: () => undefined,
  'comments and trailing commas': (k) => `// Settings I keep by hand.
{
  /* appearance */
  "theme": "dark", // my favourite
  "${k}": {
    // a server I run myself
    "mine": {
      "command": "my-server",
      "args": ["--flag",], // a trailing comma in an array
    }, // keep me next to "mine"
    "a": { "command": "old" }, // the last one
  },
  "projects": { "/x": { "allowedTools": [], }, }, /* trailing commas
     everywhere */
}
// the end
`,
  'one line, empty': (k) => `{"${k}": {}}`,
  'one line, entries': (k) => `{ "${k}": { "a": {"command": "x"}, "b": {"command": "y"} } }\n`,
  'tabs and CRLF': (k) =>
    `{\r\n\t"${k}": {\r\n\t\t"a": {\r\n\t\t\t"command": "x"\r\n\t\t}\r\n\t},\r\n\t"other": 1\r\n}\r\n`,
  'four spaces, no servers key': () =>
    `{\n    "theme": "light",\n    "nested": {\n        "x": [1, 2]\n    }\n}\n`,
  'only a comment inside': (k) => `{\n  "${k}": {\n    // add servers here\n  }\n}\n`,
  'entry closes on the object line': (k) => `{\n  "${k}": {\n    "a": {"command": "x"}}\n}\n`,
  'comma first': (k) =>
    `{\n  "${k}": {\n      "a": {\n        "command": "x"\n      }\n    , "b": {\n        "command": "y"\n      }\n  }\n}\n`,
  'comma first, shallower than the unit': (k) =>
    `{\n    "${k}": {\n        "a": {\n            "command": "x"\n        }\n  , "b": {"command": "y"}\n    }\n}\n`,
  'comma first after a tab': (k) =>
    `{\n  "${k}": {\n    "a": {\n      "command": "x"\n    }\n\t, "b": {"command": "y"}\n  }\n}\n`,
  'entries sharing lines, comments before commas': (k) =>
    `{\n  "${k}": {\n    "a": {"command": "x"}, "b": {"command": "y"},\n    "mine": {"command": "m"} /* mine */,\n    "z": {"command": "z"}\n  }\n}\n`,
  'trailing comma after the last entry': (k) =>
    `{\n  "${k}": {\n    "mine": {"command": "m"},\n    "a": {"command": "x"},\n  },\n}\n`,
  'the smallest indent inside an entry': (k) => `{"${k}": {\n    "a": {\n "command": "x"}\n    }}\n`,
  'CRLF only inside an entry': (k) => `{\n  "${k}": {\n    "a": {\r\n      "command": "x"\r\n    }\n  }\n}\n`,
  'tab only inside an entry': (k) =>
    `{\n  "${k}": {\n    "a": {\n\t"command": "x"\n    },\n    "z": {}\n  }\n}\n`,
};

const NAMES = ['a', 'b', 'mine', 'new-1', 'new-2', 'new-3', 'srv "q"', 'ünï', 'z'];
const VALUES: ClientEntry[] = [
  { command: 'npx', args: ['-y', '@acme/mcp-notes@1.2.3'], env: { LOG_LEVEL: 'info' } },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a client file's literal ${VAR} reference
  { type: 'http', url: 'http://127.0.0.1:8080/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } },
  { command: 'node', args: [] },
  {},
  { command: 'uvx', args: ['mcp-server-time==1.0.0'], env: {} },
];

/** A seeded sequence of writes (most), removes and reads. */
function* operations(seed: number, count: number) {
  let state = seed;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  for (let i = 0; i < count; i++) {
    const roll = random(20);
    const name = roll < 8 ? `srv-${i}` : NAMES[random(NAMES.length)]!;
    if (roll === 0) yield { op: 'read' as const };
    else if (roll < 3) yield { op: 'remove' as const, name };
    else yield { op: 'write' as const, name, value: VALUES[random(VALUES.length)]! };
  }
}

describe('JSON entry writes in one pass give the one-at-a-time bytes', () => {
  for (const client of jsonClients) {
    const key = serversKey(client);
    test(`${client.id}: every file, batched writes equal setJsonValue one by one`, () => {
      for (const [label, file] of Object.entries(FILES)) {
        for (const seed of [1, 7, 42]) {
          const text = file(key);
          const batched = client.parse(text, 'f.json');
          const single = parseJsonDocument(text, 'f.json');
          for (const step of operations(seed, 120)) {
            if (step.op === 'write') {
              client.writeEntry(batched, step.name, step.value);
              setJsonValue(single, [key, step.name], step.value);
            } else if (step.op === 'remove') {
              client.removeEntry(batched, step.name);
              removeJsonValue(single, [key, step.name]);
            } else {
              assert.deepEqual(
                client.readEntries(batched),
                readJsonMap(single, key),
                `${label}/${seed}: read`,
              );
            }
          }
          assert.equal(client.serialize(batched), single.text, `${label}, seed ${seed}`);
        }
      }
    });
  }

  test('removals and writes of the entries a file has, no reads between: the same bytes', () => {
    const client = getClient('claude-code');
    const value = VALUES[0]!;
    const sequences: [op: 'w' | 'r', name: string][][] = [
      [
        ['r', 'a'],
        ['r', 'mine'],
        ['r', 'b'],
        ['r', 'z'],
        ['w', 'new-1'],
        ['w', 'new-2'],
      ],
      [
        ['w', 'new-1'],
        ['r', 'a'],
        ['w', 'new-2'],
        ['r', 'mine'],
        ['r', 'b'],
        ['r', 'z'],
      ],
      [
        ['r', 'mine'],
        ['w', 'a'],
        ['w', 'new-1'],
        ['r', 'b'],
        ['w', 'z'],
      ],
      [
        ['r', 'b'],
        ['r', 'a'],
        ['w', 'new-1'],
      ],
    ];
    for (const [label, file] of Object.entries(FILES)) {
      for (const [n, sequence] of sequences.entries()) {
        const batched = client.parse(file('mcpServers'), 'f.json');
        const single = parseJsonDocument(file('mcpServers'), 'f.json');
        for (const [op, name] of sequence) {
          if (op === 'w') {
            client.writeEntry(batched, name, value);
            setJsonValue(single, ['mcpServers', name], value);
          } else {
            client.removeEntry(batched, name);
            removeJsonValue(single, ['mcpServers', name]);
          }
        }
        assert.equal(client.serialize(batched), single.text, `${label}, sequence ${n}`);
      }
    }
  });

  test('only writes, no reads between: the same bytes on every file', () => {
    const client = getClient('claude-code');
    for (const [label, file] of Object.entries(FILES)) {
      const batched = client.parse(file('mcpServers'), 'f.json');
      const single = parseJsonDocument(file('mcpServers'), 'f.json');
      for (let i = 0; i < 200; i++) {
        const name = i % 10 === 9 ? NAMES[i % NAMES.length]! : `srv-${i}`;
        client.writeEntry(batched, name, VALUES[i % VALUES.length]!);
        setJsonValue(single, ['mcpServers', name], VALUES[i % VALUES.length]!);
      }
      assert.equal(client.serialize(batched), single.text, label);
    }
  });
});

test('a write that cannot be made fails at the write, not when the text is read', () => {
  const client = getClient('cursor');
  const text = '{"mcpServers": "not an object"}';
  const doc = client.parse(text, 'f.json');
  const single = parseJsonDocument(text, 'f.json');
  const refused = (e: unknown) =>
    e instanceof McpGitopsError && e.message.includes('"mcpServers" is not an object');
  assert.throws(() => client.writeEntry(doc, 'a', VALUES[0]!), refused);
  assert.throws(() => setJsonValue(single, ['mcpServers', 'a'], VALUES[0]!), refused);
  assert.equal(
    client.serialize(doc),
    single.text,
    'the document is left as the one-at-a-time path leaves it',
  );
});

test('a batch of writes or removals parses the file a bounded number of times, not once per edit', (t) => {
  const parser = createRequire(import.meta.url)('jsonc-parser') as typeof Jsonc;
  const parseTree = parser.parseTree;
  let parses = 0;
  t.after(() => {
    parser.parseTree = parseTree;
  });
  parser.parseTree = (...args) => {
    parses++;
    return parseTree(...args);
  };
  const client = getClient('cursor');
  const doc = client.parse(FILES['comments and trailing commas']!('mcpServers'), 'f.json');
  for (let i = 0; i < 500; i++) client.writeEntry(doc, `srv-${i}`, VALUES[0]!);
  const text = client.serialize(doc);
  assert.equal(Object.keys(client.readEntries(doc)).length, 502);
  assert.ok(text.includes('"srv-499": {'));
  assert.ok(parses <= 3, `parsed ${parses} times for 500 writes`);
  parses = 0;
  for (let i = 0; i < 500; i++) client.removeEntry(doc, `srv-${i}`);
  assert.equal(client.serialize(doc), FILES['comments and trailing commas']!('mcpServers'));
  assert.ok(parses <= 3, `parsed ${parses} times for 500 removals`);
});
