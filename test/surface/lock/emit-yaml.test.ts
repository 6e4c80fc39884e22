/**
 * The lock emitter writes JSON data that the loader's own parser (js-yaml, and `yaml` as editors
 * use it) reads back exactly, whatever the strings hold, and makes invisible characters visible.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { parseYaml } from '../../../src/config/parse-yaml.js';
import { emitYaml } from '../../../src/surface/lock/emit-yaml.js';

const awkward = [
  '',
  'plain',
  'true',
  'No',
  'null',
  '~',
  '123',
  '1.10',
  '0x1F',
  '-leading dash',
  '# not a comment',
  'key: value',
  'trailing space ',
  ' leading space',
  'it\'s "quoted" \\ backslash',
  'one\ntwo',
  'one\ntwo\n',
  'one\ntwo\n\n\n',
  '\nstarts with a newline',
  '  indented first line\nsecond',
  '\n  indented after a blank\nnext',
  'tabs\tinside\n\tand leading',
  'trailing spaces on a line   \nnext',
  'blank middle\n\nline',
  'whitespace-only line\n   \nafter',
  'zero\u200Bwidth',
  'bidi \u202Eoverride',
  'tag \u{E0041}\u{E0042} chars',
  'nbsp\u00A0here',
  'bell\u0007 and esc\u001B[31m',
  'carriage\r\nreturn',
  'line\u2028separator',
  'emoji 🚀 and ümlauts',
  '|',
  '>',
  '@at',
  '`backtick',
  '*star',
  '&amp',
  '!bang',
  '%percent',
  '{brace',
  '[bracket',
  '---',
  '...',
];

function roundTrip(value: unknown) {
  const text = emitYaml(value);
  const parsed = parseYaml('x.yaml', text);
  assert.ok(parsed.ok, `js-yaml refused:\n${text}`);
  assert.deepEqual(parsed.documents[0], value, text);
  assert.deepEqual(parse(text), value, `yaml (editors) reads it differently:\n${text}`);
  return text;
}

test('every awkward string survives as a mapping value, a key, a sequence item and inside a tool entry', () => {
  for (const s of awkward) {
    roundTrip({ value: s });
    roundTrip({ [s === '' ? 'empty' : s]: 1 });
    roundTrip({ list: [s, s] });
    roundTrip({ tools: [{ name: 'x', description: s, nested: { deeper: [{ description: s }] } }] });
  }
});

test('numbers, booleans, null, empty collections and nesting round-trip', () => {
  roundTrip({
    n: [0, -1, 1.5, 1e21, 2 ** 53, -0.000001],
    b: [true, false],
    z: null,
    e: {},
    a: [],
    deep: { a: [{ b: [[1, 2], []] }, { c: {} }] },
    '0': 'numeric-looking key',
  });
});

test('hidden characters are written as escapes a reviewer can see', () => {
  const text = emitYaml({ d: 'a\u200Bb \u{E0041} \u202E \u00A0', m: 'first\nzero\u200Bwidth\n' });
  assert.match(text, /d: "a\\u200Bb \\U000E0041 \\u202E \\u00A0"/);
  assert.match(text, /m: "first\\nzero\\u200Bwidth\\n"/);
  assert.doesNotMatch(text, /[\u200B\u202E\u00A0]|\u{E0041}/u);
});

test('multi-line text is a literal block scalar with the right chomping', () => {
  assert.equal(emitYaml({ d: 'a\nb' }), 'd: |-\n  a\n  b\n');
  assert.equal(emitYaml({ d: 'a\nb\n' }), 'd: |\n  a\n  b\n');
  assert.equal(emitYaml({ d: 'a\nb\n\n' }), 'd: |+\n  a\n  b\n\n');
  assert.equal(emitYaml({ d: ' a\nb' }), 'd: |2-\n   a\n  b\n');
  assert.equal(emitYaml({ t: [{ d: 'a\nb' }] }), 't:\n  - d: |-\n      a\n      b\n');
});

test('the same data always gives the same text', () => {
  const value = { b: 1, a: [{ q: 'x', p: 'y' }] };
  assert.equal(emitYaml(value), emitYaml(structuredClone(value)));
  // Keys keep their order; `y` is quoted because YAML 1.1 reads it as true.
  assert.equal(emitYaml(value), 'b: 1\na:\n  - q: x\n    p: "y"\n');
});
