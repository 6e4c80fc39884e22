/**
 * Keeps what mcp-gitops replaces, in its own state folder on the target's host (see
 * backup-index.ts for the layout), so a bad edit can be undone by hand — and so no backup file is
 * ever left beside a user's config, where it would show up in their project and their git status.
 * Backups may hold materialized secrets: files are 0600, folders 0700.
 */
import { randomBytes } from 'node:crypto';
import type { Host } from '../../hosts/types.js';
import type { Logger } from '../../log/logger.js';
import {
  addBackup,
  backupFileName,
  backupFolderName,
  INDEX_FILE,
  parseBackupIndex,
  renderBackupIndex,
} from './backup-index.js';
import { statePath } from './state-dir.js';

/** The folder holding `path`'s backups on the host. */
export async function backupFolder(host: Host, path: string): Promise<string> {
  return statePath(host, 'backups', backupFolderName(path));
}

/** Keep `previous` (the content about to be replaced at `path`) as its newest backup; returns where. */
export async function keepBackup(
  host: Host,
  path: string,
  previous: string,
  now: Date = new Date(),
): Promise<string> {
  const folder = await backupFolder(host, path);
  const indexPath = `${folder}/${INDEX_FILE}`;
  const indexText = await host.readFile(indexPath);
  if (indexText === undefined) await host.mkdir(folder, 0o700);
  const file = backupFileName(now, randomBytes(3).toString('hex'));
  await host.writeFile(`${folder}/${file}`, previous, { mode: 0o600 });
  const { index, pruned } = addBackup(parseBackupIndex(indexText, path), {
    file,
    savedAt: now.toISOString(),
  });
  await host.writeFile(indexPath, renderBackupIndex(index), { mode: 0o600 });
  for (const old of pruned) await host.remove(`${folder}/${old}`);
  return `${folder}/${file}`;
}

/**
 * Write `text` to `path` on the host after keeping `previous` as a backup, and remove the
 * `*.mcp-gitops.bak` an older version left beside it, saying so in a log line.
 */
export async function writeWithBackup(
  host: Host,
  path: string,
  text: string,
  options: { previous: string | undefined; mode?: number; logger?: Logger },
): Promise<void> {
  if (options.previous !== undefined) await keepBackup(host, path, options.previous);
  const { removedStaleBackup } = await host.writeFile(path, text, {
    removeStaleBackup: true,
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  });
  if (removedStaleBackup) {
    options.logger?.info(
      { host: host.id, file: path, removed: removedStaleBackup },
      `removed ${removedStaleBackup}, a backup an older mcp-gitops left beside the file; backups now live in ${await backupFolder(host, path)}`,
    );
  }
}
