/**
 * A registered secret is hidden in the encodings it can leak in (as it is, JSON-escaped,
 * URL-encoded, base64), and a value that cannot be URL-encoded (a lone surrogate) is still
 * registered and hidden instead of throwing out of `add`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, Redactor } from '../../src/log/redact.js';

test('a secret is hidden as it is, JSON-escaped, URL-encoded and base64', () => {
  const redactor = new Redactor();
  const secret = 'canary "q"/ä&x=1';
  redactor.add(secret);
  for (const form of [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
  ]) {
    assert.equal(redactor.redact(`before ${form} after`), `before ${REDACTED} after`, form);
  }
});

test('a secret holding a lone surrogate is registered and hidden, not thrown on', () => {
  const redactor = new Redactor();
  const secret = 'canary-\uD800-tail';
  assert.doesNotThrow(() => redactor.add(secret));
  assert.equal(redactor.redact(`x ${secret} y`), `x ${REDACTED} y`);
  assert.equal(redactor.redact(`x ${JSON.stringify(secret).slice(1, -1)} y`), `x ${REDACTED} y`);
});
