/**
 * Child process for the host-lock test: acquire LOCK, append `start PID` / `end PID` to LOG around
 * a hold of HOLD_MS, release. With HOLD_FOREVER it prints `locked` and waits to be killed.
 */
import * as fs from 'node:fs';
import { acquireLock } from '../../src/schedule/host-lock.js';

const [file, log, holdMs, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const lock = await acquireLock(file, { purpose: `test ${process.pid}`, timeoutMs: 30_000, pollMs: 20 });
fs.appendFileSync(log, `start ${process.pid}\n`);
if (mode === 'forever') {
  process.stdout.write('locked\n');
  setInterval(() => {}, 1000);
} else {
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  fs.appendFileSync(log, `end ${process.pid}\n`);
  lock.release();
}
