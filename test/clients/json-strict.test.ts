/**
 * The strict-JSON fast path of reading client files (json-strict.ts) must give exactly what the
 * JSONC tree gives, and leave to it every file where the two could differ: duplicate keys on the
 * path (JSONC takes the first), `__proto__` keys, `\u` escapes, comments, trailing commas, a BOM,
 * a top level that is not an object, and nesting past the bound (the same error as before).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as jsonc from 'jsonc-parser';
import {
  parseJsonDocument,
  readJsonMap,
  readJsonValue,
  toPlain,
  writeJsonEntry,
} from '../../src/clients/json-document.js';
import { MAX_STRICT_DEPTH, parseStrict, withinDepth } from '../../src/clients/json-strict.js';
import { shape } from './value-shape.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Strict JSON: the fast path reads these. */
const STRICT = [
  '{ "mcpServers": { "a": { "command": "x", "args": ["1", 2, true, null, { "k": [] }] } } }',
  '{"mcpServers":{"a":{"env":{"A":"1","A":"2","B":"3"}},"b":1,"a2":[]}}',
  '{ "mcpServers": { "q": { "args": ["say \\"mcpServers\\": hi", "\\\\", "a\\/b", "\\n\\t"] } } }',
  '{ "mcpServers": { "n": { "num": -0.5e3, "big": 1e400, "zero": -0, "sep": "\u2028\u2029" } } }',
  `{ "mcpServers": { "deep": { "x": ${nested(MAX_STRICT_DEPTH - 3)} } } }`,
  '{ "other": 1, "mcpServers": "not an object" }',
  '{ "other": { "mcpServers": { "nested": {} } } }',
  '{}',
  // Parsed strictly, but a lookup of the duplicated key is left to the tree (JSONC takes the first).
  '{ "mcpServers": { "a": { "command": "first" } }, "mcpServers": { "b": { "command": "last" } } }',
];

/** Not for the fast path: the JSONC tree answers, as before. */
const JSONC_ONLY = [
  '{ "mcp\\u0053ervers": { "a": {} }, "mcpServers": { "b": {} } }',
  '{ "mcpServers": { "__proto__": { "polluted": true }, "ok": { "command": "y" } } }',
  '{ "mcpServers": { "p": { "__proto__": { "x": 1 }, "c": "d" } } }',
  '{\n  // comment\n  "mcpServers": { "a": { "command": "x" } }\n}',
  '{ "mcpServers": { "a": { "args": ["x",] }, }, }',
  `{ "mcpServers": { "deep": { "x": ${nested(MAX_STRICT_DEPTH)} } } }`,
];

describe('strict JSON fast path', () => {
  test('takes strict JSON objects and nothing it could read differently', () => {
    for (const text of STRICT) assert.ok(parseStrict(text), text);
    for (const text of JSONC_ONLY) assert.equal(parseStrict(text), undefined, text);
    for (const text of ['[]', '"x"', 'null', '1', '{} {}', '{"a":1,}', '', '\uFEFF{}']) {
      assert.equal(parseStrict(text), undefined, text);
    }
    assert.equal(withinDepth(JSON.parse(nested(MAX_STRICT_DEPTH)), 1), true);
    assert.equal(withinDepth(JSON.parse(nested(MAX_STRICT_DEPTH + 1)), 1), false);
  });

  test('every path reads the same values as the JSONC tree', () => {
    for (const text of [...STRICT, ...JSONC_ONLY]) {
      const root = jsonc.parseTree(text, [], { allowTrailingComma: true }) as jsonc.Node;
      const paths: (string | number)[][] = [[], ['mcpServers'], ['other'], ['other', 'mcpServers']];
      for (const name of ['a', 'b', 'q', 'n', 'p', 'ok', 'deep', '__proto__', 'missing'])
        paths.push(['mcpServers', name], ['mcpServers', name, 'args', 0], ['mcpServers', name, 'args', 9]);
      // A fresh document per path (the first read gets the parse's own value), then all on one.
      for (const path of paths) {
        const node = jsonc.findNodeAtLocation(root, path);
        const expected = shape(node ? toPlain(jsonc.getNodeValue(node)) : undefined);
        const where = `${text} at ${JSON.stringify(path)}`;
        assert.deepEqual(shape(readJsonValue(parseJsonDocument(text, 'x.json'), path)), expected, where);
      }
      const doc = parseJsonDocument(text, 'x.json');
      for (const path of paths) {
        const node = jsonc.findNodeAtLocation(root, path);
        const expected = shape(node ? toPlain(jsonc.getNodeValue(node)) : undefined);
        assert.deepEqual(shape(readJsonValue(doc, path)), expected, `${text} at ${JSON.stringify(path)}`);
      }
    }
  });

  test('readers never share one value', () => {
    const doc = parseJsonDocument('{ "mcpServers": { "a": { "env": { "A": "1" } } } }', 'x.json');
    const first = readJsonMap(doc, 'mcpServers');
    (first.a?.env as Record<string, string>).A = 'changed';
    assert.deepEqual(readJsonMap(doc, 'mcpServers'), { a: { env: { A: '1' } } });
  });

  test('an edit of a strictly read document edits its text in place', () => {
    const text = '{\n  "mcpServers": {\n    "a": { "command": "x" }\n  },\n  "keep": [1, 2]\n}\n';
    const doc = parseJsonDocument(text, 'x.json');
    assert.deepEqual(readJsonMap(doc, 'mcpServers'), { a: { command: 'x' } });
    writeJsonEntry(doc, 'mcpServers', 'b', { command: 'y' });
    assert.equal(
      doc.text,
      '{\n  "mcpServers": {\n    "a": { "command": "x" },\n    "b": {\n      "command": "y"\n    }\n  },\n  "keep": [1, 2]\n}\n',
    );
    assert.deepEqual(readJsonMap(doc, 'mcpServers'), { a: { command: 'x' }, b: { command: 'y' } });
  });

  test('errors and bounds are the JSONC path’s', () => {
    const refused = (text: string) => {
      try {
        parseJsonDocument(text, 'x.json');
      } catch (err) {
        return `${(err as Error).constructor.name}: ${(err as Error).message}`;
      }
      return 'accepted';
    };
    assert.equal(refused('[1, 2]'), 'McpGitopsError: x.json: the top level is a array, not an object');
    assert.equal(refused('"x"'), 'McpGitopsError: x.json: the top level is a string, not an object');
    assert.equal(
      refused('{ "a": 1 } x'),
      'McpGitopsError: x.json:1:12: not valid JSON (InvalidSymbol); left untouched',
    );
    assert.equal(
      refused('\uFEFF{ "a": 1 }'),
      'McpGitopsError: x.json:1:1: not valid JSON (InvalidSymbol); left untouched',
    );
    // Nesting the recursive JSONC parser cannot take fails as it did before the fast path.
    const hostile = `{ "mcpServers": { "a": { "x": ${nested(100_000)} } } }`;
    assert.equal(refused(hostile), 'RangeError: Maximum call stack size exceeded');
  });
});
