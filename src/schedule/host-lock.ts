/**
 * A cross-process lock on this host: a file created with O_EXCL holding the owner's pid and
 * hostname. A lock whose owner process is gone is stale and is broken; breaking goes through a
 * second O_EXCL "breaker" file so two waiters cannot both break it and both believe they own it.
 * No dependency: proper-lockfile's mtime-refresh staleness needs a timer per lock and still
 * breaks locks of live-but-busy processes after its timeout; a dead pid is the exact signal here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';

export interface LockOwner {
  pid: number;
  hostname: string;
  /** What holds it (e.g. `serve http://127.0.0.1:8080`). */
  purpose: string;
}

export interface HostLock {
  readonly file: string;
  release(): void;
}

export interface AcquireOptions {
  purpose: string;
  /** Give up after this long (ms); default 10 minutes. */
  timeoutMs?: number;
  /** Poll interval while waiting (ms); default 200. */
  pollMs?: number;
  /** Called once when the lock is found held by a live process. */
  onWait?: (owner: LockOwner | undefined) => void;
}

/** A breaker file older than this belongs to a process that died mid-break. */
const BREAKER_STALE_MS = 10_000;

export function defaultLockDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCP_GITOPS_LOCK_DIR) return path.resolve(env.MCP_GITOPS_LOCK_DIR);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `mcp-gitops-${uid}`, 'locks');
}

/** Lock file for a name (an environment): safe characters only. */
export function lockFile(dir: string, name: string): string {
  return path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.lock`);
}

/** Try once: the lock, or the current owner (undefined owner: unreadable, being written). */
export function tryAcquire(file: string, purpose: string): HostLock | { owner: LockOwner | undefined } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), purpose };
  try {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
    fs.writeSync(fd, `${JSON.stringify(me)}\n`);
    fs.closeSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(file, err);
    const owner = readOwner(file);
    // An unreadable lock that stays so is from a process that died between create and write.
    if (owner ? isStale(owner) : ageMs(file) > BREAKER_STALE_MS) breakStale(file, owner);
    return { owner };
  }
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      const owner = readOwner(file);
      if (owner?.pid === process.pid) fs.rmSync(file, { force: true });
    },
  };
}

export async function acquireLock(file: string, options: AcquireOptions): Promise<HostLock> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let told = false;
  for (;;) {
    const got = tryAcquire(file, options.purpose);
    if ('release' in got) return got;
    if (!told && got.owner && !isStale(got.owner)) {
      told = true;
      options.onWait?.(got.owner);
    }
    if (Date.now() >= deadline) {
      const who = got.owner ? `pid ${got.owner.pid} (${got.owner.purpose})` : 'another process';
      throw new McpGitopsError('ERR_IO', `the lock ${file} is still held by ${who}`, {
        hint: 'another mcp-gitops is applying this environment; if no such process exists, delete the file',
      });
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
  }
}

export function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return undefined;
    return { pid: parsed.pid, hostname: parsed.hostname, purpose: String(parsed.purpose ?? '') };
  } catch {
    return undefined;
  }
}

/** Owned by a process of this host that no longer exists. Another host's lock is never stale. */
function isStale(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return isZombie(owner.pid);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** A zombie (exited, not yet reaped) answers kill 0 but holds nothing. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function breakStale(file: string, seen: LockOwner | undefined): void {
  const breaker = `${file}.break`;
  try {
    const age = Date.now() - fs.statSync(breaker).mtimeMs;
    if (age > BREAKER_STALE_MS) fs.rmSync(breaker, { force: true });
  } catch {
    // no breaker: the usual case
  }
  let fd: number;
  try {
    fd = fs.openSync(breaker, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  } catch {
    return; // someone else is breaking it; retry later
  }
  try {
    const now = readOwner(file);
    const same = seen ? now?.pid === seen.pid && now?.hostname === seen.hostname : now === undefined;
    if (same) fs.rmSync(file, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(breaker, { force: true });
  }
}

function lockError(file: string, err: unknown): McpGitopsError {
  return new McpGitopsError('ERR_IO', `cannot create the lock ${file}: ${(err as Error).message}`, {
    hint: 'set MCP_GITOPS_LOCK_DIR (or --lock-dir) to a writable folder',
    cause: err,
  });
}
