/**
 * The shell scripts SshHost runs on a host, one per operation. Pure: every path, argument and
 * value enters through `quote()`, so none of them can change what the script does. ssh hands the
 * script to the user's login shell, which must be POSIX-compatible (sh, dash, bash, ksh, zsh; not
 * csh or fish); the tools used are POSIX or coreutils (cat, mkdir, chmod, mv, cp, rm, readlink,
 * dirname, stat, timeout when present).
 */
import { McpGitopsError } from '../../core/errors.js';
import { STALE_BACKUP_SUFFIX } from '../local-host.js';
import { exportEnv, quote, quoteArgs } from './quote.js';

/** Exit code of `readFileScript` when the file does not exist. */
export const MISSING_EXIT = 44;
/** Exit code of `execScript` when the working directory cannot be entered. */
export const CWD_EXIT = 127;
/** Seconds between the remote `timeout`'s TERM and KILL. */
const KILL_AFTER_SEC = 5;

export interface ExecScriptOptions {
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  /** Wrap the command in `timeout` (when the host has it) so it dies with us. */
  timeoutMs?: number;
  /**
   * Read the `export` statements for `env` from stdin (give `exportEnv(env)` as the input) instead
   * of the command line, so values show in no process's argv — neither ssh's here nor the shell's
   * there. Only when the command itself needs no stdin.
   */
  envOnStdin?: boolean;
}

/**
 * Run `command args…` with the options: the argument vector becomes the positional parameters,
 * then `exec "$@"` (under `timeout` when present) — no word of it is ever parsed by the shell.
 */
export function execScript(
  command: string,
  args: readonly string[],
  options: ExecScriptOptions = {},
): string {
  if (command === '' || command.startsWith('-')) {
    throw new McpGitopsError('ERR_HOST', `"${command}" is not a command name`, {
      hint: 'give a program name or path that does not start with "-"',
    });
  }
  const parts: string[] = [];
  // stdin first: a failing `cd` must not leave the input unread.
  if (options.envOnStdin) parts.push('eval "$(cat)" || exit 1');
  else if (options.env && Object.keys(options.env).length > 0) parts.push(exportEnv(options.env));
  if (options.cwd !== undefined) parts.push(`cd -- ${quote(options.cwd)} || exit ${CWD_EXIT}`);
  parts.push(`set -- ${quoteArgs([command, ...args])}`);
  if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
    const seconds = Math.max(options.timeoutMs / 1000, 0.001).toFixed(3);
    parts.push(
      `if command -v timeout >/dev/null 2>&1; then exec timeout -k ${KILL_AFTER_SEC} ${seconds} "$@"; else exec "$@"; fi`,
    );
  } else {
    parts.push('exec "$@"');
  }
  return parts.join('\n');
}

export function readFileScript(file: string): string {
  const p = quote(file);
  return `if [ -e ${p} ]; then exec cat -- ${p}; else exit ${MISSING_EXIT}; fi`;
}

export interface WriteScriptOptions {
  mode?: number;
  /** Then remove `<file>.mcp-gitops.bak` left by older versions, printing its path when there was one. */
  removeStaleBackup?: boolean;
  /** Unique token for the temp file name (the caller makes it random). */
  token: string;
}

/**
 * Content arrives on stdin. Writes through a symlink to its target (like the local host), keeps
 * an existing file's mode unless one is given, then renames a temp file from the same directory
 * over the path — readers see the old or the new file, never half — and, when asked, removes the
 * stale backup an older version kept beside it (printing that path).
 */
export function writeFileScript(file: string, options: WriteScriptOptions): string {
  if (!/^[A-Za-z0-9]+$/.test(options.token)) throw new Error('writeFileScript: token must be alphanumeric');
  const mode = options.mode === undefined ? undefined : octalMode(options.mode);
  const lines = [
    'umask 077',
    `p=${quote(file)}`,
    'r=$(readlink -f -- "$p" 2>/dev/null) && [ -n "$r" ] && p=$r',
    'd=$(dirname -- "$p") || exit 1',
    `t="$d/.mcp-gitops.${options.token}.tmp"`,
    'mkdir -p -- "$d" || exit 1',
    mode === undefined
      ? 'if [ -e "$p" ]; then m=$(stat -c %a -- "$p" 2>/dev/null || stat -f %Lp -- "$p") || exit 1; else m=644; fi'
      : `m=${mode}`,
  ];
  lines.push('cat > "$t" && chmod "$m" "$t" && mv -f -- "$t" "$p" || { rm -f -- "$t"; exit 1; }');
  if (options.removeStaleBackup) {
    lines.push(
      `s="$p"${quote(STALE_BACKUP_SUFFIX)}`,
      `if [ -e "$s" ] && rm -f -- "$s"; then printf '%s' "$s"; fi`,
    );
  }
  return lines.join('\n');
}

export function removeScript(file: string, recursive: boolean): string {
  return `rm ${recursive ? '-rf' : '-f'} -- ${quote(file)}`;
}

export function existsScript(file: string): string {
  return `[ -e ${quote(file)} ]`;
}

export function mkdirScript(dir: string, mode?: number): string {
  return `mkdir -p ${mode === undefined ? '' : `-m ${octalMode(mode)} `}-- ${quote(dir)}`;
}

export function homeScript(): string {
  return 'printf %s "$HOME"';
}

/** Prints the program's absolute path, or nothing. */
export function whichScript(command: string): string {
  const c = quote(command);
  if (command.includes('/')) return `if [ -f ${c} ] && [ -x ${c} ]; then printf %s ${c}; fi`;
  return `p=$(command -v -- ${c} 2>/dev/null) || exit 0; case $p in /*) printf %s "$p" ;; esac`;
}

function octalMode(mode: number): string {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new McpGitopsError('ERR_HOST', `file mode ${mode} is not valid`, {
      hint: 'use a mode like 0o644 or 0o600',
    });
  }
  return mode.toString(8).padStart(4, '0');
}
