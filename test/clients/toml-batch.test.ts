/**
 * A TOML client document checks a batch of server edits once (toml-batch.ts): the bytes must be
 * exactly those of checking after every edit, as before — on Codex (`[mcp_servers.<name>]` tables)
 * and Mistral Vibe (`[[mcp_servers]]` elements), on the users' files with comments, an empty file,
 * and layouts the text edits do not handle (inline tables, dotted keys: the whole file is then
 * re-serialized, and a batch must fall back exactly where the one-at-a-time path did), under
 * seeded sequences of writes, removes and reads. A second test checks that a batch is checked once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type * as SmolToml from 'smol-toml';
import { getClient } from '../../src/clients/registry.js';
import type { ClientEntry, ClientId } from '../../src/clients/types.js';

const COMMON: Record<string, string | undefined> = {
  none: undefined,
  'only settings': 'model = "o3"   # the default model\n',
};

const FILES: Record<string, Record<string, string | undefined>> = {
  codex: {
    ...COMMON,
    "the user's file": `# my Codex settings
model = "o3"   # the default model
approval_policy = "on-request"

# a server I run myself
[mcp_servers.mine]
command = "my-server"
args = ["--flag"]

[mcp_servers.mine.env]
MY_VAR = "1"   # keep

[mcp_servers.srv-2]
command = "old"

# fast profile
[profiles.fast]
model = "o4-mini"
`,
    'inline servers': 'mcp_servers = { srv-1 = { command = "old" } }\nmodel = "o3"\n',
    'dotted keys':
      'model = "o3"\n\n[mcp_servers]\nsrv-3.command = "old"\n\n[mcp_servers.mine]\ncommand = "x"\n',
    'empty header': '# top\n[mcp_servers]\n\n[other]\nk = 1\n',
  },
  'mistral-vibe': {
    ...COMMON,
    "the user's file": readFileSync(
      new URL('./golden-toml/mistral-vibe/before.toml', import.meta.url),
      'utf8',
    ),
    'inline servers': 'mcp_servers = [ { name = "srv-1", transport = "stdio", command = "old" } ]\n',
    'element with subtable': `[[mcp_servers]]
name = "mine"
transport = "stdio"
command = "x"

[mcp_servers.env]
A = "1"

[[mcp_servers]]
name = "srv-4"
transport = "stdio"
command = "old"
`,
  },
};

const VALUES: Record<string, ClientEntry[]> = {
  codex: [
    { command: 'npx', args: ['-y', '@acme/mcp-notes@1.2.3'], env: { LOG_LEVEL: 'info' } },
    { url: 'http://127.0.0.1:8080/mcp', http_headers: { 'X-Team': 'a' } },
    { command: 'uvx', args: [], env_vars: ['TOKEN'] },
  ],
  'mistral-vibe': [
    { transport: 'stdio', command: 'npx', args: ['-y', '@acme/mcp-notes@1.2.3'], env: { A: 'b' } },
    { transport: 'streamable-http', url: 'http://127.0.0.1:8080/mcp' },
    { transport: 'stdio', command: 'uvx', args: [] },
  ],
};

function* operations(seed: number, count: number) {
  let state = seed;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  for (let i = 0; i < count; i++) {
    const roll = random(20);
    const name = roll < 8 ? `srv-${i}` : random(5) === 0 ? 'mine' : `srv-${random(6)}`;
    if (roll === 0) yield { op: 'read' as const };
    else if (roll < 4) yield { op: 'remove' as const, name };
    else yield { op: 'write' as const, name, value: random(3) };
  }
}

describe('TOML edits checked once per batch give the bytes of checking every edit', () => {
  for (const id of ['codex', 'mistral-vibe'] as ClientId[]) {
    const client = getClient(id);
    test(`${id}: every file, seeded writes, removes and reads`, () => {
      for (const [label, text] of Object.entries(FILES[id]!)) {
        for (const seed of [5, 13]) {
          const batched = client.parse(text, 'config.toml');
          const each = client.parse(text, 'config.toml');
          for (const step of operations(seed, 60)) {
            if (step.op === 'read') {
              assert.deepEqual(client.readEntries(batched), client.readEntries(each), `${label}/${seed}`);
              continue;
            }
            if (step.op === 'write') {
              client.writeEntry(batched, step.name, VALUES[id]![step.value]!);
              client.writeEntry(each, step.name, VALUES[id]![step.value]!);
            } else {
              client.removeEntry(batched, step.name);
              client.removeEntry(each, step.name);
            }
            // The one-at-a-time path: the edit checked right away.
            client.serialize(each);
          }
          assert.equal(client.serialize(batched), client.serialize(each), `${label}, seed ${seed}`);
        }
      }
    });
  }

  test('a batch of Codex writes is parsed a bounded number of times, not per write', (t) => {
    const parser = createRequire(import.meta.url)('smol-toml') as typeof SmolToml;
    const parse = parser.parse;
    let parses = 0;
    t.after(() => {
      parser.parse = parse;
    });
    parser.parse = ((...args: Parameters<typeof parse>) => {
      parses++;
      return parse(...args);
    }) as typeof parse;
    const client = getClient('codex');
    const doc = client.parse(FILES.codex!["the user's file"], 'config.toml');
    const before = parses;
    for (let i = 0; i < 100; i++) client.writeEntry(doc, `new-${i}`, VALUES.codex![0]!);
    const text = client.serialize(doc);
    assert.ok(text.includes('[mcp_servers.new-99]'));
    assert.ok(text.includes('# a server I run myself'), 'comments kept: no fallback');
    assert.ok(parses - before <= 3, `parsed ${parses - before} times for 100 writes`);
  });
});
