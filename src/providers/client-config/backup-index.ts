/**
 * Pure rules of the backups mcp-gitops keeps of files it replaces: one folder per file under
 * `<state folder>/backups/`, named by the file's base name and a hash of its path, holding the last
 * few versions and an `index.json` that names the file they belong to and lists them, newest last.
 * A missing or unreadable index starts afresh: a backup must never stop an apply.
 */
import { createHash } from 'node:crypto';

/** Versions kept per file; the oldest beyond these are deleted when a new one is kept. */
export const BACKUPS_KEPT = 5;

export const INDEX_FILE = 'index.json';

export interface BackupRecord {
  /** File name inside the file's backup folder. */
  file: string;
  /** When the version was replaced (ISO 8601, UTC). */
  savedAt: string;
}

export interface BackupIndex {
  formatVersion: 1;
  /** The file these are versions of, as mcp-gitops addressed it on the host. */
  path: string;
  backups: BackupRecord[];
}

/** The folder name for `path`'s backups: readable base name + 16 hex digits of its SHA-256. */
export function backupFolderName(path: string): string {
  const base = path.split('/').pop() || 'file';
  const readable =
    base
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^\.+/, '')
      .slice(0, 40) || 'file';
  return `${readable}-${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
}

/** `20260512T101500123Z-ab12cd.bak`: sorts by time; the token keeps two saves in one ms apart. */
export function backupFileName(savedAt: Date, token: string): string {
  return `${savedAt.toISOString().replace(/[-:.]/g, '')}-${token}.bak`;
}

export function parseBackupIndex(text: string | undefined, path: string): BackupIndex {
  const fresh: BackupIndex = { formatVersion: 1, path, backups: [] };
  if (text === undefined) return fresh;
  try {
    const data = JSON.parse(text) as Partial<BackupIndex>;
    if (data.formatVersion !== 1 || data.path !== path || !Array.isArray(data.backups)) return fresh;
    const backups = data.backups.filter(
      (b): b is BackupRecord =>
        typeof b?.file === 'string' && /^[\w.-]+\.bak$/.test(b.file) && typeof b.savedAt === 'string',
    );
    return { formatVersion: 1, path, backups };
  } catch {
    return fresh;
  }
}

/** The index with `record` added, and the files of the versions that fall out of it. */
export function addBackup(
  index: BackupIndex,
  record: BackupRecord,
  kept = BACKUPS_KEPT,
): { index: BackupIndex; pruned: string[] } {
  const all = [...index.backups, record];
  const cut = Math.max(0, all.length - kept);
  return { index: { ...index, backups: all.slice(cut) }, pruned: all.slice(0, cut).map((b) => b.file) };
}

export function renderBackupIndex(index: BackupIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}
