import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress } from '../../src/cli/progress.js';
import { redactor } from '../../src/log/redact.js';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 40,
    write: (s: string) => chunks.push(s) > 0,
  } as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

test('on a TTY progress is one line rewritten in place, then cleared', () => {
  const { stream, chunks } = fakeStream(true);
  const p = createProgress({ stream, env: {} });
  p.update('observing dev/laptop');
  p.update('verifying a very long server name that does not fit in forty columns');
  p.done();
  assert.equal(chunks[0], '\r\x1b[2K… observing dev/laptop');
  assert.ok((chunks[1] ?? '').length <= '\r\x1b[2K'.length + 39);
  assert.equal(chunks.at(-1), '\r\x1b[2K');
  assert.equal(chunks.join('').includes('\n'), false);
});

test('without a TTY progress is plain lines; in CI nothing; messages are redacted', () => {
  redactor.add('progress-secret-value');
  const plain = fakeStream(false);
  createProgress({ stream: plain.stream, env: {} }).update('applying progress-secret-value');
  assert.deepEqual(plain.chunks, ['applying [REDACTED]\n']);
  const ci = fakeStream(true);
  createProgress({ stream: ci.stream, env: { CI: 'true' } }).update('x');
  assert.deepEqual(ci.chunks, []);
});
