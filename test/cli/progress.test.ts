import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProgress } from '../../src/cli/progress.js';
import { ProgressLines } from '../../src/cli/progress-lines.js';
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
  p.update({ where: 'dev/laptop', text: 'observing' });
  p.update('verifying a very long server name that does not fit in forty columns');
  p.done();
  assert.equal(chunks[0], '\r\x1b[2K… dev/laptop: observing');
  assert.ok((chunks[1] ?? '').length <= '\r\x1b[2K'.length + 39);
  assert.equal(chunks.at(-1), '\r\x1b[2K');
  assert.equal(chunks.join('').includes('\n'), false);
});

test('without a TTY, and in CI, progress is plain lines; quiet is nothing; lines are redacted', () => {
  redactor.add('progress-secret-value');
  const plain = fakeStream(false);
  const p = createProgress({ stream: plain.stream, env: {} });
  p.update({ where: 'dev/laptop/memory', text: 'creating with progress-secret-value', ongoing: 'creating' });
  p.done();
  assert.deepEqual(plain.chunks, ['dev/laptop/memory: creating with [REDACTED]\n']);
  const ci = fakeStream(true);
  createProgress({ stream: ci.stream, env: { CI: 'true' } }).update('writing reports');
  assert.deepEqual(ci.chunks, ['writing reports\n'], 'CI logs get plain lines, never cursor moves');
  const quiet = fakeStream(false);
  createProgress({ stream: quiet.stream, env: {}, quiet: true }).update('x');
  assert.deepEqual(quiet.chunks, []);
});

test('control characters from a target cannot move the cursor or recolour the terminal', () => {
  for (const tty of [false, true]) {
    const out = fakeStream(tty);
    const p = createProgress({ stream: out.stream, env: {} });
    p.update({ where: 'x', text: '\x1b[31mred\x1b[0m\rover\nnext' });
    p.done();
    const body = out.chunks.join('').replaceAll('\r\x1b[2K', '');
    assert.equal(/[\x00-\x08\x0b-\x1f]/.test(body), false, JSON.stringify(body));
    assert.match(body, /red/);
  }
});

test('a long step says "still …" every interval, carrying the newest held detail, until it ends', () => {
  const lines = new ProgressLines(15_000);
  const at = (s: number) => s * 1000;
  const w = 'dev/laptop/everything';
  const out: string[] = [];
  out.push(...lines.event({ where: w, text: 'verifying', ongoing: 'verifying' }, at(0)));
  out.push(
    ...lines.event({ where: w, text: 'verify attempt 1: starting: refused', ongoing: 'verifying' }, at(0.1)),
  );
  out.push(
    ...lines.event({ where: w, text: 'verify attempt 2: starting: refused', ongoing: 'verifying' }, at(0.3)),
  );
  out.push(
    ...lines.event({ where: w, text: 'verify attempt 3: starting: refused', ongoing: 'verifying' }, at(1)),
  );
  for (let s = 1; s <= 16; s++) out.push(...lines.tick(at(s)));
  out.push(
    ...lines.event({ where: 'dev/laptop/memory', text: 'installing m@1', ongoing: 'installing' }, at(16)),
  );
  for (let s = 17; s <= 32; s++) out.push(...lines.tick(at(s)));
  out.push(...lines.event({ where: w, text: 'healthy, 13 tools (32.0 s)' }, at(32)));
  out.push(...lines.event({ where: 'dev/laptop/memory', text: 'installed m@1 (20.0 s)' }, at(36)));
  for (let s = 37; s <= 80; s++) out.push(...lines.tick(at(s)));
  assert.deepEqual(out, [
    'dev/laptop/everything: verifying',
    'dev/laptop/everything: verify attempt 1: starting: refused',
    'dev/laptop/everything: still verifying (16 s): verify attempt 3: starting: refused',
    'dev/laptop/memory: installing m@1',
    'dev/laptop/everything: still verifying (31 s)',
    'dev/laptop/memory: still installing (15 s)',
    'dev/laptop/everything: healthy, 13 tools (32.0 s)',
    'dev/laptop/memory: installed m@1 (20.0 s)',
  ]);
  assert.equal(lines.active, false, 'ended steps leave nothing to tick');
});

test('the plain printer ticks on its own timer and stops it when done', async () => {
  const out = fakeStream(false);
  const p = createProgress({ stream: out.stream, env: {}, everyMs: 50 });
  p.update({ where: 'dev/vm/x', text: 'installing x@1 with npm', ongoing: 'installing' });
  await sleep(180);
  p.done();
  const count = out.chunks.length;
  await sleep(120);
  assert.equal(out.chunks.length, count, 'no line after done()');
  assert.equal(out.chunks[0], 'dev/vm/x: installing x@1 with npm\n');
  assert.ok(count >= 3, out.chunks.join(''));
  for (const line of out.chunks.slice(1)) assert.match(line, /^dev\/vm\/x: still installing \(0 s\)\n$/);
});
