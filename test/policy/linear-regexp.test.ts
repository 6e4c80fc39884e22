/**
 * Policy patterns on RE2 (src/policy/linear-regexp.ts): the same answers as JavaScript's RegExp
 * with the `u` flag (what JSON Schema users write against) for ordinary patterns and for every
 * construct whose syntax or meaning differs between the two, refusals for what RE2 cannot run, and
 * patterns that backtrack catastrophically in JavaScript answering at once on long input.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertPatterns } from '../../src/policy/assert-patterns.js';
import { assertErrors, compileAssert } from '../../src/policy/compile-assert.js';
import { checkPattern, linearRegExp, UnsupportedPatternError } from '../../src/policy/linear-regexp.js';

const linear = (pattern: string) => linearRegExp(pattern, 'u');

/** Patterns people write in policies, and ones where ECMA-262 and RE2 syntax or meaning differ. */
const PATTERNS = [
  // ordinary
  String.raw`^\d+\.\d+\.\d+$`,
  String.raw`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`,
  '^ghcr\\.io/',
  '^@modelcontextprotocol/',
  '^(env|file):',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  '^https?://[^\\s]+$',
  ':latest$',
  '^[^@\\s]+@[^@\\s]+$',
  'prod',
  '^(?:dev|staging)-\\w+$',
  '^(?<major>\\d+)\\.(?<minor>\\d+)$',
  '^a{2,3}$',
  '^x*?y+?$',
  '^[A-Z_][A-Z0-9_]*$',
  // meaning differs unless translated
  '^\\s+$',
  '^\\S+$',
  '^[\\s]$',
  '^[^\\s]$',
  '^[\\S]$',
  '^[^\\S]$',
  '^[\\s\\S]$',
  '^.$',
  '^...$',
  'a$',
  '^b',
  '^\\w+$',
  '^\\W$',
  '\\bword\\b',
  '\\Bor',
  '^\\d$',
  '^\\D$',
  '^[\\d-]+$',
  '^[\\w.-]+$',
  // syntax differs
  '^\\u00e9$',
  '^\\u{1F600}$',
  '^\\uD83D\\uDE00$',
  '^[\\u0041-\\u005A]+$',
  '^\\x41$',
  '^\\cJ$',
  '^\\0$',
  '^[\\b]$',
  '^\\t\\n\\v\\f\\r$',
  '^[]$',
  '^[^]$',
  '[]',
  '^\\/\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\$',
  '^[\\-a]$',
  '^[a-c-e]+$',
  '^[-a]$',
  '^[a-]$',
  '^[\\^x]$',
  '^[.*+?(){}|]+$',
  '^[#&~:]+$',
  '^[é😀]$',
  '^😀+$',
  '^é$',
  '^\\p{L}+$',
  '^\\p{Lu}$',
  '^\\P{L}$',
  '^\\p{Letter}+$',
  '^\\p{gc=Nd}+$',
  '^\\p{Script=Greek}+$',
  '^[\\p{Lu}\\d]+$',
  '# comment? ',
  'a b',
];

const INPUTS = [
  '',
  'a',
  'b',
  'aa',
  'aaa',
  'abc',
  '1',
  '1.2.3',
  '1.2.3\n',
  '01.2.3',
  '1.2.3-rc.1+build.5',
  '2026.8.31',
  '^1.2',
  'latest',
  'image:latest',
  'ghcr.io/acme/mcp',
  'ghcrXio/acme',
  '@modelcontextprotocol/server-memory',
  'env:TOKEN',
  'file:./x',
  'memory',
  'Memory',
  '-memory',
  'https://example.com/mcp',
  'https://exa mple.com',
  'user@example.com',
  'prod-1',
  'dev-x',
  'staging-',
  '12.34',
  'xy',
  'xxyyy',
  'A_B1',
  ' ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u3000',
  '\ufeff',
  '\u0085',
  '\u200b',
  'é',
  'É',
  '😀',
  '😀😀',
  '\ud800',
  'αβγ',
  'Ω',
  'a\nb',
  'b\na',
  'a\n',
  'word',
  'a word here',
  'swordfish',
  'order',
  'or',
  '\b',
  '\0',
  '\t\n\v\f\r',
  'A',
  'AB',
  '\n\n\n',
  '/.*+?()[]{}|^$\\',
  '-',
  'a-c',
  'b-e',
  '^',
  '.*+',
  '#&',
  '٣',
  '# comment? ',
  'a b',
];

describe('policy patterns on RE2', () => {
  test('answer as JavaScript RegExp with the u flag does, pattern by pattern and input by input', () => {
    let compared = 0;
    for (const pattern of PATTERNS) {
      const native = new RegExp(pattern, 'u');
      const re = linear(pattern);
      for (const input of INPUTS) {
        assert.equal(
          re.test(input),
          native.test(input),
          `${JSON.stringify(pattern)} on ${JSON.stringify(input)}`,
        );
        compared++;
      }
    }
    assert.ok(compared > 5000);
  });

  test('\\s, \\S, . and \\w match exactly the code points JavaScript matches', () => {
    const classes = [
      '\\s',
      '\\S',
      '.',
      '[\\s]',
      '[^\\s]',
      '[\\S]',
      '[^\\S]',
      '\\w',
      '\\W',
      '\\d',
      '[^\\d\\s]',
    ];
    const compiled = classes.map((c) => ({ c, native: new RegExp(`^${c}$`, 'u'), re: linear(`^${c}$`) }));
    const codePoints: number[] = [];
    for (let cp = 0; cp <= 0x3100; cp++) codePoints.push(cp);
    codePoints.push(0xfeff, 0xfffe, 0xffff, 0x10000, 0x1f600, 0x10ffff);
    for (const cp of codePoints) {
      const input = String.fromCodePoint(cp);
      for (const { c, native, re } of compiled) {
        assert.equal(re.test(input), native.test(input), `${c} on U+${cp.toString(16)}`);
      }
    }
  });

  // No timing assertion: on a backtracking engine this would run for ages and hit the timeout.
  test('patterns that backtrack catastrophically in JavaScript answer on 100,000 characters', {
    timeout: 60_000,
  }, () => {
    const long = `${'a'.repeat(100_000)}!`;
    assert.equal(linear('^(a+)+$').test(long), false);
    assert.equal(linear('^(a|a)*$').test(long), false);
    assert.equal(linear('^(a|aa)+$').test(long), false);
    assert.equal(linear('^(\\w+\\s?)*$').test(long), false);
    assert.equal(linear('(x+x+)+y').test('x'.repeat(100_000)), false);
    assert.equal(linear('^(a+)+$').test('a'.repeat(100_000)), true);
  });

  test('backreferences, lookahead and lookbehind are refused with what and why', () => {
    const cases: [string, RegExp][] = [
      [
        '(a)\\1',
        /^uses a backreference "\\1" \(character 4\), which needs backtracking and is not supported: .*linear-time/,
      ],
      ['(?<x>a)\\k<x>', /^uses a backreference "\\k<x>" \(character 8\)/],
      ['^(?!latest$)', /^uses a lookahead "\(\?!" \(character 2\), which is not supported: .*RE2/],
      ['a(?=b)', /^uses a lookahead "\(\?=" \(character 2\)/],
      ['(?<=a)b', /^uses a lookbehind "\(\?<=" \(character 1\)/],
      ['(?<!a)b', /^uses a lookbehind "\(\?<!" \(character 1\)/],
      ['(', /^is not a valid regular expression: Unterminated group$/],
      ['\\-', /^is not a valid regular expression: Invalid escape$/],
      [
        'a{1001}',
        /^is not supported by the linear-time regular expression engine \(RE2\): invalid repeat count/,
      ],
      [
        '\\p{Script_Extensions=Greek}',
        /^uses the Unicode property "\\p\{Script_Extensions=Greek\}" \(character 1\), which the linear-time .* does not know/,
      ],
    ];
    for (const [pattern, expected] of cases) {
      assert.match(checkPattern(pattern) ?? 'accepted', expected, pattern);
      assert.throws(() => linear(pattern), UnsupportedPatternError);
    }
  });

  test('a character class cannot read as RE2-only syntax', () => {
    // `[[:x]` is the class {[, :, x} in JavaScript; RE2 would read `[:x:]`-like text as POSIX classes.
    for (const pattern of ['^[[:x]+$', '^[\\[:alpha:\\]]+$']) {
      const native = new RegExp(pattern, 'u');
      for (const input of ['[:x', 'a', ':alpha:', '[]', 'x']) {
        assert.equal(linear(pattern).test(input), native.test(input), `${pattern} on ${input}`);
      }
    }
  });
});

describe('user policy asserts', () => {
  test('every pattern of an assert is found where a schema is read, and only there', () => {
    const schema = {
      properties: {
        pattern: { pattern: '^a' },
        spec: { allOf: [{ not: { pattern: '^b' } }], patternProperties: { '^c': { pattern: '^d' } } },
      },
      prefixItems: [{ pattern: '^e' }],
      $defs: { x: { items: { pattern: '^f' } } },
      const: { pattern: '(?=not a schema)' },
      enum: [{ pattern: '(?=nor this)' }],
      default: { pattern: '(?=nor this)' },
    };
    const found = assertPatterns(schema)
      .map((p) => `${p.path.join('/')}=${p.pattern}`)
      .sort();
    assert.deepEqual(found, [
      '$defs/x/items/pattern=^f',
      'prefixItems/0/pattern=^e',
      'properties/pattern/pattern=^a',
      'properties/spec/allOf/0/not/pattern=^b',
      'properties/spec/patternProperties/^c/pattern=^d',
      'properties/spec/patternProperties/^c=^c',
    ]);
  });

  test('each pattern of one assert keeps its own meaning (Ajv keys patterns by their string form)', () => {
    const compiled = compileAssert({
      properties: { a: { pattern: '^x$' }, b: { pattern: '^y$' } },
      patternProperties: { '^z': { type: 'string' } },
    });
    assert.ok(compiled.ok);
    assert.equal(compiled.validate({ a: 'x', b: 'y', z1: 'ok' }), true);
    assert.deepEqual(
      assertErrors(compiled.validate, { a: 'y', b: 'x', z1: 1 }).map((e) => `${e.instancePath} ${e.keyword}`),
      ['/a pattern', '/b pattern', '/z1 type'],
    );
  });

  test('a catastrophic pattern in patternProperties beside properties that match it compiles and answers', () => {
    // Ajv's strict check of properties against patternProperties would test `^(a+)+$` against the
    // property name with JavaScript's RegExp while compiling: turned off for user policies.
    const name = `${'a'.repeat(40)}!`;
    const compiled = compileAssert({
      properties: { [name]: { type: 'string' }, aaa: { type: 'string' } },
      patternProperties: { '^(a+)+$': { type: 'number' } },
    });
    assert.ok(compiled.ok);
    assert.equal(compiled.validate({ [name]: 'x', aaaa: 1 }), true);
    assert.equal(compiled.validate({ aaa: 'x' }), false, 'aaa is also matched by the pattern');
  });

  test('unsupported patterns are problems at their place in the assert, every one of them', () => {
    const compiled = compileAssert({
      properties: { v: { pattern: '^(?!latest$)' } },
      patternProperties: { '(a)\\1': {} },
    });
    assert.equal(compiled.ok, false);
    assert.deepEqual(
      !compiled.ok && compiled.problems.map((p) => [p.path.join('/'), p.which, p.message.split(',')[0]]),
      [
        ['properties/v/pattern', 'value', 'pattern uses a lookahead "(?!" (character 2)'],
        [
          'patternProperties/(a)\\1',
          'key',
          'patternProperties pattern uses a backreference "\\1" (character 4)',
        ],
      ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
  });

  test('the product’s own (trusted) policies keep JavaScript RegExp: pinned-versions uses a lookahead', () => {
    const trusted = compileAssert({ pattern: '^(?!latest$)[a-z]+$' }, { trusted: true });
    assert.ok(trusted.ok);
    assert.equal(trusted.validate('v'), true);
    assert.equal(trusted.validate('latest'), false);
  });
});
