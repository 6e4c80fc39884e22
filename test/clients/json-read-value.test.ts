/**
 * readJsonValue builds plain data from the syntax tree in one pass; it must give exactly what
 * jsonc-parser's getNodeValue followed by toPlain gives: last duplicate wins at the first one's
 * place, `__proto__` keys treated as an assignment would, nested arrays and objects, comments.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import { parseJsonDocument, readJsonMap, readJsonValue, toPlain } from '../../src/clients/json-document.js';
import { shape } from './value-shape.js';

const TEXTS = [
  '{ "mcpServers": { "a": { "command": "x", "args": ["1", 2, true, null, { "k": [] }] } } }',
  '{\n  // comment\n  "mcpServers": { "a": { "env": { "A": "1", "A": "2", "B": "3" } }, "b": 1, "a2": [], },\n}',
  '{ "mcpServers": { "__proto__": { "polluted": true }, "ok": { "command": "y" } } }',
  '{ "mcpServers": { "p": { "__proto__": { "x": 1 }, "__proto__": 5, "c": "d" } } }',
  '{ "mcpServers": { "n": { "args": [[1, [2]], { "__proto__": [] }], "num": -0.5e3 } } }',
  '{ "other": 1 }',
];

describe('readJsonValue', () => {
  test('equals toPlain(getNodeValue(node)) for every path', () => {
    for (const text of TEXTS) {
      const doc = parseJsonDocument(text, 'x.json');
      const root = jsonc.parseTree(text, [], { allowTrailingComma: true }) as jsonc.Node;
      const check = (path: (string | number)[]) => {
        const node = jsonc.findNodeAtLocation(root, path);
        const expected = node ? toPlain(jsonc.getNodeValue(node)) : undefined;
        const actual = readJsonValue(doc, path);
        assert.deepEqual(shape(actual), shape(expected), `${text} at ${JSON.stringify(path)}`);
      };
      check([]);
      check(['mcpServers']);
      for (const name of ['a', 'b', 'a2', 'ok', 'p', 'n', '__proto__']) check(['mcpServers', name]);
    }
    assert.deepEqual(
      Object.keys(readJsonMap(parseJsonDocument(TEXTS[1] as string, 'x.json'), 'mcpServers')),
      ['a'],
    );
    const polluted = readJsonValue(parseJsonDocument(TEXTS[3] as string, 'x.json'), ['mcpServers', 'p']);
    assert.deepEqual(Object.getPrototypeOf(polluted), Object.prototype);
  });
});
