/** esc(): hostile text reaches a page inert — no markup, no bidi or zero-width surprises, no secret. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactor } from '../../src/log/redact.js';
import { esc, escBlock, testId } from '../../src/ui/escape.js';
import { HOSTILE } from './fixture.js';

test('markup and quotes are escaped', () => {
  const out = esc(HOSTILE);
  assert.doesNotMatch(out, /[<>"']/);
  assert.match(out, /&#60;img src=x onerror=alert\(1\)&#62;&#34;&#39;&#38;/);
});

test('bidi, zero-width and control characters are shown as escapes, not kept', () => {
  const out = esc('a\u202Eb\u200Bc\u2066d\u0007e\uFEFFf\u{E0041}g');
  for (const c of ['\u202E', '\u200B', '\u2066', '\u0007', '\uFEFF', '\u{E0041}'])
    assert.ok(!out.includes(c), `raw U+${c.codePointAt(0)?.toString(16)}`);
  assert.equal(out, 'a\\u202eb\\u200bc\\u2066d\\u0007e\\ufefff\\u{e0041}g');
});

test('undefined and null are empty; numbers are text', () => {
  assert.equal(esc(undefined), '');
  assert.equal(esc(null), '');
  assert.equal(esc(42), '42');
});

test('a block keeps its newlines and escapes each line', () => {
  assert.equal(escBlock('<a>\n\u202Eb'), '&#60;a&#62;\n\\u202eb');
});

test('a test id built from hostile names stays one attribute value', () => {
  assert.doesNotMatch(testId('dev', 'x"onmouseover="alert(1)', 's'), /"/);
});

test('a registered secret never comes out, escaped or not', () => {
  const canary = 'cAnArY-ui-esc-7d1f0b2e9a';
  redactor.add(canary);
  const out = esc(`token=${canary} <b>`);
  assert.ok(!out.includes(canary));
  assert.match(out, /\[REDACTED\]/);
});
