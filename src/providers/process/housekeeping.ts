/**
 * Housekeeping on a process target after a server was (re)started: record the version in the
 * server's history (`history.json`, the provider's inventory on the host), then remove installs
 * and temporary files nobody needs (housekeeping-script.ts; on the
 * local host in this process, see run-host-script.ts). What was removed comes back as words
 * for the change's message, and is logged.
 *
 * The housekeepings of one run's batch on the local host share `TempScans` (process-batch.ts): a
 * directory whose temporary files one of them looked at is looked at again only when a file it
 * left there has turned stale since (housekeeping-script.ts), not by every later start.
 */
import type { DesiredServer } from '../../core/state.js';
import type { Host } from '../../hosts/types.js';
import type { Logger } from '../../log/logger.js';
import { HOUSEKEEPING_SCRIPT } from './housekeeping-script.js';
import { installsInProgress } from './install-package.js';
import type { Layout, ServerPaths } from './process-settings.js';
import { runHostScript } from './run-host-script.js';

/** Temporary files and unfinished installs younger than this may belong to work in progress. */
const STALE_MS = 10 * 60_000;
/** History entries kept per server (far more than any sensible `keepVersions`). */
const HISTORY_LIMIT = 20;

export interface Removed {
  packages: string[];
  files: string[];
}

/**
 * Directories (relative to baseDir) whose temporary files a housekeeping of this batch looked at:
 * when the youngest one it left turns stale (ms since the epoch), or null when it left none.
 */
export type TempScans = Map<string, number | null>;

/** Append `identifier@version` to the server's history (distinct, newest last). */
export async function recordVersion(host: Host, paths: ServerPaths, install: string): Promise<void> {
  let history: string[] = [];
  try {
    const parsed: unknown = JSON.parse((await host.readFile(paths.history)) ?? '[]');
    if (Array.isArray(parsed)) history = parsed.filter((v): v is string => typeof v === 'string');
  } catch {
    // A damaged history starts afresh.
  }
  history = [...history.filter((v) => v !== install), install].slice(-HISTORY_LIMIT);
  await host.writeFile(paths.history, `${JSON.stringify(history)}\n`, { mode: 0o600 });
}

export async function houseKeep(
  host: Host,
  node: string,
  layout: Layout,
  options: {
    keepVersions: number;
    desired: readonly DesiredServer[];
    logger: Logger;
    /** Shared by the housekeepings of one batch (the local host: the argument stays small). */
    scans?: TempScans;
  },
): Promise<Removed> {
  const keepAlso = new Set<string>();
  for (const server of options.desired) {
    const pkg = server.spec.package;
    if (pkg?.registryType === 'npm') keepAlso.add(`${pkg.identifier}@${pkg.version}`);
  }
  for (const prefix of installsInProgress(host)) {
    if (prefix.startsWith(`${layout.packagesDir}/`))
      keepAlso.add(prefix.slice(layout.packagesDir.length + 1));
  }
  const args = [
    layout.baseDir,
    String(options.keepVersions),
    JSON.stringify([...keepAlso]),
    String(STALE_MS),
  ];
  if (options.scans) args.push(JSON.stringify(Object.fromEntries(options.scans)));
  const result = await runHostScript(host, node, HOUSEKEEPING_SCRIPT, args, 120_000);
  if (result.exitCode !== 0) {
    options.logger.warn(
      { host: host.id, reason: result.stderr.trim().split('\n').pop() },
      'process housekeeping failed',
    );
    return { packages: [], files: [] };
  }
  const { scanned, ...removed } = JSON.parse(result.stdout) as Removed & {
    scanned?: Record<string, number | null>;
  };
  for (const [dir, revisitAt] of Object.entries(scanned ?? {})) options.scans?.set(dir, revisitAt);
  if (removed.packages.length > 0 || removed.files.length > 0) {
    options.logger.info({ host: host.id, baseDir: layout.baseDir, removed }, 'process housekeeping removed');
  }
  return removed;
}

/** "removed old installs: a@1, a@2; removed stale temporary files: …", or undefined. */
export function describeRemoved(removed: Removed): string | undefined {
  const parts: string[] = [];
  if (removed.packages.length > 0) parts.push(`removed old installs: ${removed.packages.join(', ')}`);
  if (removed.files.length > 0) parts.push(`removed stale temporary files: ${removed.files.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
