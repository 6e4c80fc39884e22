/**
 * `redactPieces` says exactly what `redact` of the whole text says, however the text is cut: a
 * secret across a piece or chunk boundary, one holding a line break, one inside another, values
 * next to each other, and text with no secret at all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redactor } from '../../src/log/redact.js';

const SECRETS = ['canary-4d1e9f', 'line one\nline two', 'abcd', 'xabcdx-long-one', 'r3$(x)*'];

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function text(next: () => number, length: number): string {
  const words = [
    ...SECRETS,
    'plain ',
    '\n',
    'abc',
    'canary-4d1e',
    'xabcdx-long',
    'line one\n',
    JSON.stringify(SECRETS[1]).slice(1, -1),
  ];
  let out = '';
  while (out.length < length) out += words[Math.floor(next() * words.length)];
  return out;
}

function cut(next: () => number, whole: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < whole.length; ) {
    const length = 1 + Math.floor(next() * 40);
    pieces.push(whole.slice(at, at + length));
    at += length;
  }
  return pieces;
}

test('redactPieces of any cut of a text is redact of the whole text', () => {
  const redactor = new Redactor();
  for (const s of SECRETS) redactor.add(s);
  const next = random(16);
  for (let round = 0; round < 300; round++) {
    const whole = text(next, 50 + Math.floor(next() * 2000));
    const chunk = 1 + Math.floor(next() * 200);
    const out = [...redactor.redactPieces(cut(next, whole), chunk)];
    assert.equal(out.join(''), redactor.redact(whole), `round ${round}, chunk ${chunk}`);
    assert.ok(!out.join('').includes('canary-4d1e9f'));
  }
});

test('pieces are let go as they come: a long text is not held whole', () => {
  const redactor = new Redactor();
  redactor.add('canary-4d1e9f');
  const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i} canary-4d1e9f\n`);
  const out = [...redactor.redactPieces(lines, 1024)];
  assert.ok(out.length > 100, `${out.length} pieces`);
  assert.ok(out.every((p) => p.length < 1024 + 40));
  assert.equal(out.join(''), redactor.redact(lines.join('')));
});

test('without secrets the pieces pass through unchanged', () => {
  const redactor = new Redactor();
  const lines = ['a\n', 'b\n', 'c'];
  assert.equal([...redactor.redactPieces(lines, 2)].join(''), 'a\nb\nc');
});
