/**
 * The local host: this machine. Files are written atomically (temp file in the same directory,
 * fsync, rename), commands run from an argument vector through execa — never through a shell.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import type { ExecOptions, ExecResult, Host, WriteOptions, WriteResult } from './types.js';

/**
 * Suffix of the copy of a file's previous content that versions before the state-folder backups
 * kept beside the file; `writeFile(…, { removeStaleBackup: true })` removes it.
 */
export const STALE_BACKUP_SUFFIX = '.mcp-gitops.bak';

export interface LocalHostOptions {
  /** Home directory; default env `MCP_GITOPS_HOME` ?? `os.homedir()`. A leading `~` expands against that default. */
  home?: string;
}

/** The home directory used when a target does not set one. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCP_GITOPS_HOME || os.homedir();
}

export function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

export class LocalHost implements Host {
  readonly id = 'local';
  readonly kind = 'local' as const;
  private readonly homeDir: string;

  constructor(options: LocalHostOptions = {}) {
    const fallback = defaultHome();
    this.homeDir = path.resolve(options.home ? expandTilde(options.home, fallback) : fallback);
  }

  async home(): Promise<string> {
    return this.homeDir;
  }

  async expand(p: string): Promise<string> {
    return expandTilde(p, this.homeDir);
  }

  async readFile(p: string): Promise<string | undefined> {
    try {
      return await fs.readFile(p, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined;
      throw ioError(`cannot read ${p}`, err);
    }
  }

  async writeFile(p: string, data: string, options: WriteOptions = {}): Promise<WriteResult> {
    const file = await resolveSymlink(p);
    const dir = path.dirname(file);
    await this.mkdir(dir);
    const previous = await statOrUndefined(file);
    // Keep an existing file's permissions unless told otherwise (a user's 0600 config stays 0600).
    const mode = options.mode ?? (previous ? previous.mode & 0o7777 : 0o644);
    await writeAtomic(file, data, mode);
    if (!options.removeStaleBackup) return {};
    const stale = `${file}${STALE_BACKUP_SUFFIX}`;
    if ((await statOrUndefined(stale)) === undefined) return {};
    await this.remove(stale);
    return { removedStaleBackup: stale };
  }

  async remove(p: string, options: { recursive?: boolean } = {}): Promise<void> {
    try {
      await fs.rm(p, { force: true, recursive: options.recursive ?? false });
    } catch (err) {
      throw ioError(`cannot remove ${p}`, err);
    }
  }

  async exists(p: string): Promise<boolean> {
    return (await statOrUndefined(p)) !== undefined;
  }

  async mkdir(p: string, mode?: number): Promise<void> {
    try {
      await fs.mkdir(p, { recursive: true, ...(mode === undefined ? {} : { mode }) });
    } catch (err) {
      throw ioError(`cannot create directory ${p}`, err);
    }
  }

  async exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    // Loaded on first use: code that only needs this module's path helpers (validate) never pays for execa.
    const { execa } = await import('execa');
    const result = await execa(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      extendEnv: options.cleanEnv !== true,
      shell: false,
      reject: false,
      timeout: options.timeoutMs,
      ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      stripFinalNewline: false,
      windowsHide: true,
    });
    const exitCode = result.exitCode ?? (result.timedOut ? 124 : result.failed ? 127 : 0);
    const stdout = typeof result.stdout === 'string' ? result.stdout : '';
    let stderr = typeof result.stderr === 'string' ? result.stderr : '';
    if (result.exitCode === undefined && result.failed) {
      // Not started, killed or timed out: say why in stderr (execa's short message names the command only).
      stderr = `${stderr}${stderr && !stderr.endsWith('\n') ? '\n' : ''}${result.shortMessage ?? 'command failed'}\n`;
    }
    if (options.reject === true && exitCode !== 0) {
      throw new McpGitopsError('ERR_HOST', `${command} exited with code ${exitCode} on the local host`, {
        hint: lastLine(stderr) || 'run the command by hand to see its output',
      });
    }
    return { exitCode, stdout, stderr };
  }

  async which(command: string): Promise<string | undefined> {
    if (command.includes('/')) return (await isExecutable(command)) ? path.resolve(command) : undefined;
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      if (!dir) continue;
      const candidate = path.join(dir, command);
      if (await isExecutable(candidate)) return candidate;
    }
    return undefined;
  }

  async listDirectories(p: string): Promise<string[] | undefined> {
    try {
      const entries = await fs.readdir(p, { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch (err) {
      const code = errCode(err);
      return code === 'ENOENT' || code === 'ENOTDIR' ? [] : undefined;
    }
  }

  async close(): Promise<void> {}
}

async function writeAtomic(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      // The umask may have narrowed the mode given to open(); set it exactly.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw ioError(`cannot write ${file}`, err);
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directory fsync is not supported everywhere; the rename itself is still atomic.
  }
}

/** Write through a symlink (dotfile managers link config files) instead of replacing the link. */
async function resolveSymlink(p: string): Promise<string> {
  try {
    return await fs.realpath(p);
  } catch {
    return p;
  }
}

async function statOrUndefined(p: string) {
  try {
    return await fs.stat(p);
  } catch (err) {
    if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') return undefined;
    throw ioError(`cannot stat ${p}`, err);
  }
}

async function isExecutable(p: string): Promise<boolean> {
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) return false;
    await fs.access(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function errCode(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

function ioError(message: string, cause: unknown): McpGitopsError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new McpGitopsError('ERR_IO', `${message}: ${reason}`, {
    hint: 'check that the path exists and is writable by this user',
    cause,
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
