/**
 * One pass at a time per state folder: the service's `agent run` and a hand-run `agent run --once`
 * (or `uninstall --prune`) must not apply to the same client files at once. The lock is a file
 * made with O_EXCL holding the owner's pid; a lock whose process is gone (a crash, a power cut) is
 * taken over.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import { ensureStateDir } from './agent-files.js';

export const LOCK_FILE = 'pass.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withPassLock<T>(stateDir: string, fn: () => Promise<T>): Promise<T> {
  await ensureStateDir(stateDir);
  const file = path.join(stateDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new McpGitopsError('ERR_USAGE', `another agent pass is running (pid ${pid})`, {
          hint: `wait for it, or remove ${file} if no agent runs`,
        });
      }
      if (attempt > 0) throw new McpGitopsError('ERR_IO', `cannot take the pass lock ${file}`);
      await fs.rm(file, { force: true });
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}
