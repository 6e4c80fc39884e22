/**
 * The last updates run, kept on disk so the status page, `/metrics` and `ui` can show it after a
 * restart without asking every registry again. One JSON file per config checkout, in the state
 * folder (never in the checkout's work tree: it is not config):
 *   `<state dir>/updates/<checkout name>-<hash of its absolute path>/last-report.json`
 * `updatesCacheDir` names that folder; `mcp-gitops updates` and `serve`'s schedule write it with
 * `saveLastReport`, and `ui`, the static export and serve read it with `readLastReport`.
 * Written atomically (temp file + rename, mode 0600); read with a size cap and validated: a missing
 * file is "none", a corrupt or oversized one is "none" with a warning that names the file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { checkLastReport, type LastReport } from './last-report-shape.js';
import type { PullRequestOutcome, UpdatesReport } from './types.js';

export type { LastReport } from './last-report-shape.js';

export const LAST_REPORT_FILE = 'last-report.json';
/** A report of 200 servers is ~200 KB; ten thousand stays under this. */
export const MAX_LAST_REPORT_BYTES = 32 * 1024 * 1024;

/** The last-report folder of a config checkout, under a state dir (`defaultStateDir()` or `--state-dir`). */
export function updatesCacheDir(stateDir: string, configDir: string): string {
  // One folder per checkout however it is named (`./config`, an absolute path, a symlink to it).
  let abs = path.resolve(configDir);
  try {
    abs = realpathSync(abs);
  } catch {
    // Not there (yet): the path as given.
  }
  const name =
    path
      .basename(abs)
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[-.]+/, '')
      .slice(0, 60) || 'config';
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 12);
  return path.join(stateDir, 'updates', `${name}-${hash}`);
}

/** Saves the run atomically: a reader sees the old file or the new one, never half of one. */
export async function saveLastReport(
  cacheDir: string,
  report: UpdatesReport,
  outcomes?: PullRequestOutcome[],
  now: Date = new Date(),
): Promise<string> {
  await fs.mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const target = path.join(cacheDir, LAST_REPORT_FILE);
  const data: LastReport = { savedAt: now.toISOString(), report, ...(outcomes ? { outcomes } : {}) };
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, `${JSON.stringify(data)}\n`, { mode: 0o600, flag: 'wx' });
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  return target;
}

/** What reading found: the report, nothing, or nothing and why (safe to print and show). */
export interface LastReportRead {
  last?: LastReport;
  warning?: string;
}

/** Reads the last report; never throws for what is on disk (missing, unreadable, corrupt, huge). */
export async function readLastReport(cacheDir: string): Promise<LastReportRead> {
  const file = path.join(cacheDir, LAST_REPORT_FILE);
  let text: string;
  try {
    text = await readCapped(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    return {
      warning: `${file}: ${code === 'EFBIG' ? 'larger than 32 MiB' : `cannot read (${code ?? 'error'})`}`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { warning: `${file}: not JSON; it is ignored and replaced by the next run` };
  }
  const checked = checkLastReport(value);
  if ('problem' in checked)
    return { warning: `${file}: ${checked.problem}; it is ignored and replaced by the next run` };
  return { last: checked.last };
}

/** Reads at most MAX_LAST_REPORT_BYTES (a FIFO or a file that grows while read cannot make it more). */
async function readCapped(file: string): Promise<string> {
  const handle = await fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
    if (stat.size > MAX_LAST_REPORT_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    const buf = Buffer.alloc(Math.min(stat.size, MAX_LAST_REPORT_BYTES) + 1);
    let read = 0;
    while (read < buf.length) {
      const { bytesRead } = await handle.read(buf, read, buf.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read > MAX_LAST_REPORT_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return buf.subarray(0, read).toString('utf8');
  } finally {
    await handle.close();
  }
}
