/** The per-environment host lock across real processes: mutual exclusion, and a dead owner's lock is broken. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { acquireLock, lockFile, readOwner, tryAcquire } from '../../src/schedule/host-lock.js';

const HOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lock-holder.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-lock-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function holder(file: string, log: string, holdMs: number, mode?: 'forever'): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', HOLDER, file, log, String(holdMs), ...(mode ? [mode] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('host lock', { timeout: 60_000 }, () => {
  test('three processes contending for one environment hold it one after another, never together', async () => {
    const file = lockFile(dir, 'dev');
    const log = path.join(dir, 'contend.log');
    const children = [0, 1, 2].map(() => holder(file, log, 300));
    const codes = await Promise.all(children.map(exited));
    assert.deepEqual(codes, [0, 0, 0]);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 6);
    for (let i = 0; i < 6; i += 2) {
      const [a, b] = [lines[i]?.split(' '), lines[i + 1]?.split(' ')];
      assert.equal(a?.[0], 'start');
      assert.equal(b?.[0], 'end');
      assert.equal(
        a?.[1],
        b?.[1],
        `no other process entered while ${a?.[1]} held the lock: ${lines.join(', ')}`,
      );
    }
    assert.equal(fs.existsSync(file), false, 'released');
  });

  test('a lock held by a live process is refused; once that process is killed, it is taken over', async () => {
    const file = lockFile(dir, 'prod/eu');
    assert.equal(path.basename(file), 'prod_eu.lock');
    const child = holder(file, path.join(dir, 'kill.log'), 0, 'forever');
    const cleanup = () => child.kill('SIGKILL');
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('holder did not lock')), 20_000);
        child.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('locked')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      const held = tryAcquire(file, 'me');
      assert.ok(!('release' in held));
      assert.equal(held.owner?.pid, child.pid);
      await assert.rejects(
        acquireLock(file, { purpose: 'me', timeoutMs: 300, pollMs: 50 }),
        /still held by pid/,
      );

      child.kill('SIGKILL');
      await exited(child);
      const lock = await acquireLock(file, { purpose: 'me', timeoutMs: 10_000, pollMs: 50 });
      assert.equal(readOwner(file)?.pid, process.pid);
      lock.release();
      assert.equal(fs.existsSync(file), false);
    } finally {
      cleanup();
    }
  });
});
