/**
 * A YAML client document renders its text when the text is read, once for a batch of edits
 * (yaml-document.ts): the bytes must be exactly those of rendering after every edit, as before.
 * Compared on both YAML adapters (Continue's list, Goose's map) with the users' golden files
 * (comments, blocks, their own entries), an empty file, a file with an empty flow collection and a
 * CRLF file, under seeded sequences of writes, removes and reads.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { getClient } from '../../src/clients/registry.js';
import type { ClientEntry, ClientId } from '../../src/clients/types.js';

const golden = (client: string) =>
  readFileSync(new URL(`./golden-yaml/${client}/before.yaml`, import.meta.url), 'utf8');

const CASES: { client: ClientId; key: string }[] = [
  { client: 'continue', key: 'mcpServers' },
  { client: 'goose', key: 'extensions' },
];

const FILES: Record<string, (client: ClientId, key: string) => string | undefined> = {
  "the user's file": (client) => golden(client),
  none: () => undefined,
  'empty flow collection': (_client, key) => `# my settings\nname: me\n${key}: []\n`,
  CRLF: (client) => golden(client).replace(/\n/g, '\r\n'),
};

const VALUES: ClientEntry[] = [
  { command: 'npx', args: ['-y', '@acme/mcp-notes@1.2.3'], env: { LOG_LEVEL: 'info' } },
  { type: 'streamable_http', uri: 'http://127.0.0.1:8080/mcp' },
  { command: 'uvx', args: [] },
];

function* operations(seed: number, count: number) {
  let state = seed;
  const random = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  for (let i = 0; i < count; i++) {
    const roll = random(20);
    const name = roll < 8 ? `srv-${i}` : `srv-${random(6)}`;
    if (roll === 0) yield { op: 'read' as const };
    else if (roll < 4) yield { op: 'remove' as const, name };
    else yield { op: 'write' as const, name, value: VALUES[random(VALUES.length)]! };
  }
}

describe('YAML edits rendered once give the bytes of rendering after every edit', () => {
  for (const { client: id, key } of CASES) {
    const client = getClient(id);
    test(`${id}: every file, seeded writes, removes and reads`, () => {
      for (const [label, file] of Object.entries(FILES)) {
        for (const seed of [3, 11]) {
          const text = file(id, key);
          const batched = client.parse(text, 'f.yaml');
          const each = client.parse(text, 'f.yaml');
          let renders = 0;
          for (const step of operations(seed, 60)) {
            if (step.op === 'read') {
              assert.deepEqual(client.readEntries(batched), client.readEntries(each), `${label}/${seed}`);
              continue;
            }
            if (step.op === 'write') {
              client.writeEntry(batched, step.name, step.value);
              client.writeEntry(each, step.name, step.value);
            } else {
              client.removeEntry(batched, step.name);
              client.removeEntry(each, step.name);
            }
            // The one-at-a-time path: the text rendered right after the edit.
            if (client.serialize(each) !== text) renders++;
          }
          assert.ok(renders > 0, `${label}/${seed}: the edits changed the file`);
          assert.equal(client.serialize(batched), client.serialize(each), `${label}, seed ${seed}`);
        }
      }
    });
  }

  test('edits without a read leave the text unrendered until it is read', () => {
    const client = getClient('goose');
    const doc = client.parse(golden('goose'), 'f.yaml');
    const yaml = (doc as unknown as { yaml: { toString: (...a: unknown[]) => string } }).yaml;
    const render = yaml.toString.bind(yaml);
    let renders = 0;
    yaml.toString = (...args: unknown[]) => {
      renders++;
      return render(...args);
    };
    for (let i = 0; i < 50; i++) client.writeEntry(doc, `srv-${i}`, VALUES[0]!);
    assert.equal(renders, 0);
    const text = client.serialize(doc);
    assert.equal(renders, 1);
    assert.ok(text.includes('srv-49:'));
    assert.equal(client.serialize(doc), text);
    assert.equal(renders, 1, 'a second read renders nothing');
  });
});
