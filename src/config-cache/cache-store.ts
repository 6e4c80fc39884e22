/**
 * Where cache entries live and how they are read and written: `<gitdir>/mcp-gitops/config-cache/`,
 * one file per key (`<sha256 of the key>.v8`), mode 0600 in folders of mode 0700, written to a
 * temporary file and renamed into place (a reader sees a whole entry or none), at most
 * MAX_ENTRIES (the least recently used removed first; a hit refreshes its entry's time), and none
 * larger than MAX_ENTRY_BYTES. Only a folder and files that are this user's own, not symlinks and
 * not writable by others, are read. Every failure (an unwritable git dir, a full disk, a race with
 * another process) is a miss or a skipped write: the cache never makes a command fail.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';

export const MAX_ENTRIES = 4;
/** A 10,000-server config is ~20 MB serialized; far larger ones are loaded each time. */
export const MAX_ENTRY_BYTES = 128 * 1024 * 1024;
/** Temporary files older than this were left by a process that died while writing. */
const STALE_TEMP_MS = 10 * 60 * 1000;
const ENTRY_SUFFIX = '.v8';

/** The git dir of the work tree `root` (`.git`, or where a `.git` file points); undefined if none. */
export function gitDirOf(root: string): string | undefined {
  const dotGit = join(root, '.git');
  try {
    const stat = fs.lstatSync(dotGit);
    if (stat.isDirectory()) return dotGit;
    if (!stat.isFile()) return undefined;
    const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    return m ? resolve(root, m[1]!.trim()) : undefined;
  } catch {
    return undefined;
  }
}

/** The cache folder of the repository at `root` (not created here). */
export function cacheDirOf(root: string): string | undefined {
  const gitDir = gitDirOf(root);
  return gitDir === undefined ? undefined : join(gitDir, 'mcp-gitops', 'config-cache');
}

function ownedSafely(stat: fs.Stats): boolean {
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return false;
  return (stat.mode & 0o022) === 0;
}

function safeDir(dir: string): boolean {
  try {
    const stat = fs.lstatSync(dir);
    return stat.isDirectory() && ownedSafely(stat);
  } catch {
    return false;
  }
}

/** The bytes of entry `id`, if it is there and safe to read. */
export function readEntry(dir: string, id: string): Buffer | undefined {
  if (!safeDir(dir)) return undefined;
  const file = join(dir, `${id}${ENTRY_SUFFIX}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || !ownedSafely(stat) || stat.size > MAX_ENTRY_BYTES + 64 * 1024) return undefined;
    const data = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < data.length) {
      const n = fs.readSync(fd, data, read, data.length - read, read);
      if (n === 0) break;
      read += n;
    }
    const now = new Date();
    try {
      fs.futimesSync(fd, now, now);
    } catch {
      // a read-only cache still serves hits
    }
    return data.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes entry `id` (atomically), then keeps only the MAX_ENTRIES most recent. Never throws. */
export function writeEntry(dir: string, id: string, data: Buffer): void {
  if (data.length > MAX_ENTRY_BYTES) return;
  let temp: string | undefined;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!safeDir(dir)) return;
    temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, join(dir, `${id}${ENTRY_SUFFIX}`));
    temp = undefined;
    prune(dir);
  } catch {
    // no cache this time
  } finally {
    if (temp !== undefined) fs.rmSync(temp, { force: true });
  }
}

function prune(dir: string): void {
  const now = Date.now();
  const entries: { file: string; mtimeMs: number }[] = [];
  for (const name of fs.readdirSync(dir)) {
    const file = join(dir, name);
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!stat) continue;
    if (name.startsWith('.tmp-')) {
      if (now - stat.mtimeMs > STALE_TEMP_MS) fs.rmSync(file, { force: true });
    } else if (name.endsWith(ENTRY_SUFFIX)) entries.push({ file, mtimeMs: stat.mtimeMs });
  }
  entries.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of entries.slice(MAX_ENTRIES)) fs.rmSync(old.file, { force: true });
}
