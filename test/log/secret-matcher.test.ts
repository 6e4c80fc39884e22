/**
 * The secret matcher against two references on random secrets and texts drawn from a small
 * alphabet (so secrets overlap, nest and share prefixes often): a naive scan (leftmost position,
 * there the longest secret) and the alternation regex the redactor used before (longest first,
 * joined with `|`). The redactor, which files each secret with its encodings, is checked the same
 * way, whole and in pieces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, Redactor } from '../../src/log/redact.js';
import { SecretMatcher } from '../../src/log/secret-matcher.js';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const ALPHABET = ['a', 'b', 'c', '.', '*', '\n', '"', '/', 'é', '\ud83d\ude00'];

function word(next: () => number, min: number, max: number): string {
  const length = min + Math.floor(next() * (max - min + 1));
  let out = '';
  while (out.length < length) out += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return out;
}

function naive(text: string, values: string[]): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    let best = '';
    for (const v of values) if (v.length > best.length && text.startsWith(v, i)) best = v;
    if (best) {
      out += REDACTED;
      i += best.length;
    } else out += text[i++];
  }
  return out;
}

function alternation(text: string, values: string[]): string {
  if (values.length === 0) return text;
  const escaped = [...values]
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return text.replace(new RegExp(escaped.join('|'), 'g'), REDACTED);
}

/** Secrets that overlap the text: some pieces of the text itself, some random. */
function secrets(next: () => number, text: string): string[] {
  const out: string[] = [];
  const count = Math.floor(next() * 12);
  for (let k = 0; k < count; k++) {
    if (next() < 0.6 && text.length > 8) {
      const at = Math.floor(next() * (text.length - 4));
      out.push(text.slice(at, at + 4 + Math.floor(next() * 10)));
    } else out.push(word(next, 4, 12));
  }
  return out.filter((s) => s.length >= 4);
}

test('the matcher finds what a naive scan and the old alternation regex find', () => {
  const next = random(7);
  for (let round = 0; round < 2000; round++) {
    const text = word(next, 0, 300);
    const values = secrets(next, text);
    const matcher = new SecretMatcher();
    for (const v of values) matcher.add(v);
    const got = matcher.replaceAll(text, REDACTED);
    assert.equal(got, naive(text, values), `round ${round}: ${JSON.stringify({ text, values })}`);
    assert.equal(got, alternation(text, values), `round ${round}`);
  }
});

test('find honours its window: a match must start at or after from and before before', () => {
  const matcher = new SecretMatcher();
  matcher.add('abcd');
  matcher.add('abcdef');
  const text = 'xxabcdefxxabcd';
  assert.deepEqual(matcher.find(text), { index: 2, length: 6 });
  assert.deepEqual(matcher.find(text, 3), { index: 10, length: 4 });
  assert.equal(matcher.find(text, 3, 10), undefined);
  assert.deepEqual(matcher.find(text, 3, 11), { index: 10, length: 4 });
  assert.equal(matcher.longest, 6);
  assert.equal(matcher.size, 2);
  matcher.add('abcd');
  assert.equal(matcher.size, 2);
  assert.throws(() => matcher.add('abc'), RangeError);
});

test('the redactor, with each secret and its encodings, redacts as the alternation of them all', () => {
  const next = random(16);
  for (let round = 0; round < 500; round++) {
    const text = word(next, 0, 400);
    // A lone surrogate has no URL encoding: the redactor refuses it (as it always has).
    const values = secrets(next, text).filter((v) => !/[\ud800-\udfff]/.test(v));
    const redactor = new Redactor();
    const all: string[] = [];
    for (const v of values) {
      redactor.add(v);
      for (const e of [
        v,
        JSON.stringify(v).slice(1, -1),
        encodeURIComponent(v),
        Buffer.from(v).toString('base64'),
      ]) {
        if (!all.includes(e)) all.push(e);
      }
    }
    const whole = redactor.redact(text);
    assert.equal(whole, alternation(text, all), `round ${round}: ${JSON.stringify({ text, values })}`);
    const pieces = [];
    for (let at = 0; at < text.length; ) {
      const length = 1 + Math.floor(next() * 30);
      pieces.push(text.slice(at, at + length));
      at += length;
    }
    assert.equal(
      [...redactor.redactPieces(pieces, 1 + Math.floor(next() * 50))].join(''),
      whole,
      `round ${round}`,
    );
  }
});

test('registering thousands of secrets stays linear: 4,000 in well under a second', () => {
  const redactor = new Redactor();
  const started = performance.now();
  for (let i = 0; i < 4000; i++) redactor.add(`token-${i.toString(16).padStart(8, '0')}-canary`);
  const text = `${'x'.repeat(100_000)}token-00000f9f-canary`;
  assert.equal(redactor.redact(text), `${'x'.repeat(100_000)}${REDACTED}`);
  assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
});
