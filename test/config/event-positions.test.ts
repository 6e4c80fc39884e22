/**
 * Positions from js-yaml's events must be the ones `yaml` gives: every key and value path of every
 * YAML file the project ships or tests with, and of texts written to hit each YAML style, located
 * both ways. Files the event path declines (block scalars, aliases, ...) must still be answered.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventPositions } from '../../src/config/event-positions.js';
import { jsYaml } from '../../src/config/js-yaml.js';
import { FileLocator } from '../../src/config/locate-node.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '.git' ? [] : yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** Every path into `value`, and one missing key or index below each collection. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...at, i], out);
    out.push([...at, value.length], [...at, 'name']);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
    out.push([...at, 'no-such-key']);
  }
  return out;
}

const CRAFTED = [
  'a: 1\nb: "q"\nc:\nd: { x: \'s\', y: [1, "2", { z: }] }\ne:\n  - plain\n  - !!str t\n  - "x"\nf: &x k\n',
  '# lead\n---\nspec:\n  # inner\n  env: { LOG_LEVEL: info, "QUOTED KEY": v, \'single\': w }\n  l: [x, "y"]\n---\nk: v\n',
  'spec:\n  secrets:\n    - name: A\n      ref: env:A\n    -   name: B\n        \n      ref: "file:~/b"\n  empty: ""\n  nul: null\n  tilde: ~\n',
  'key: value # comment\nlist:\n- a\n-   b\nnested:\n    deep:\n        deeper: { k: [ 1, 2 ] }\n',
  'a: 1\r\nb:\r\n  c: "d"\r\n',
  'text: |\n  block\nother: >-\n  folded\n',
  'a: &anchor { b: 1 }\nc: *anchor\n',
  '1: numeric key\ntrue: bool key\n',
  '',
  '---\n---\na: 1\n',
  'not: [valid\n',
];

describe('source positions from js-yaml events', () => {
  test('equal to yaml for every path of every shipped and fixture YAML file and crafted styles', () => {
    const texts = [
      ...['examples', 'environments', 'policies', 'templates', 'test/fixtures']
        .flatMap((d) => yamlFiles(join(ROOT, d)))
        .map((f) => ({ name: f.slice(ROOT.length), text: readFileSync(f, 'utf8') })),
      ...CRAFTED.map((text, i) => ({ name: `crafted-${i}`, text })),
    ];
    let compared = 0;
    let fast = 0;
    for (const { name, text } of texts) {
      let docs: unknown[];
      try {
        docs = jsYaml().loadAll(text, { maxAliases: 0 }) as unknown[];
      } catch {
        docs = [];
      }
      if (eventPositions(text)) fast++;
      const locator = new FileLocator(name, text);
      for (let index = 0; index <= docs.length; index++) {
        for (const path of paths(docs[index])) {
          for (const which of ['key', 'value'] as const) {
            assert.deepEqual(
              locator.locate(index, path, which),
              locator.locateWithYaml(index, path, which),
              `${name} document ${index} ${JSON.stringify(path)} ${which}`,
            );
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 5000, `compared ${compared}`);
    assert.ok(fast > texts.length / 2, `the event path answered ${fast} of ${texts.length} files`);
  });

  test('the event path answers a server file and declines what it does not model', () => {
    assert.ok(eventPositions('apiVersion: mcp-gitops/v1\nkind: Server\nspec: { env: { A: "1" } }\n'));
    assert.equal(eventPositions('text: |\n  block\n'), undefined);
    assert.equal(eventPositions('a: &x 1\nb: *x\n'), undefined);
    assert.equal(eventPositions('1: numeric key\n'), undefined);
    assert.equal(eventPositions('not: [valid\n'), undefined);
  });
});
