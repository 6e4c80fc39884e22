/**
 * A host is where a provider's commands run and its files live: `local` (this machine) now,
 * `ssh://user@host:port` later. Providers only ever touch a target through this interface.
 */
export interface ExecOptions {
  cwd?: string;
  /** Extra environment for the command (never logged). */
  env?: Record<string, string>;
  /**
   * Local hosts: start the command with `env` only, inheriting nothing of this process's
   * environment (as verification launches an MCP server). An ssh host always runs the
   * command in the remote login environment plus `env`, so this changes nothing there.
   */
  cleanEnv?: boolean;
  input?: string;
  timeoutMs?: number;
  /** Do not throw on a non-zero exit; return it. Default true. */
  reject?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface WriteOptions {
  /** File mode, e.g. 0o600. */
  mode?: number;
  /**
   * After writing, remove the `<path>.mcp-gitops.bak` (`STALE_BACKUP_SUFFIX`) that older versions
   * kept beside a file they replaced (beside the link's target when the path is a symlink).
   * Backups now live in mcp-gitops's state folder on the host, never beside a user's file.
   */
  removeStaleBackup?: boolean;
}

export interface WriteResult {
  /** The stale `*.mcp-gitops.bak` removed by `removeStaleBackup`, when there was one. */
  removedStaleBackup?: string;
}

export interface Host {
  /** `local` or the ssh URL. */
  readonly id: string;
  readonly kind: 'local' | 'ssh';
  /** Home directory on the host (honours a target's `home` setting when given). */
  home(): Promise<string>;
  /** Expand a leading `~` against `home()`. */
  expand(path: string): Promise<string>;
  readFile(path: string): Promise<string | undefined>;
  /** Atomic: write a temp file in the same directory, then rename. Creates parent directories. */
  writeFile(path: string, data: string, options?: WriteOptions): Promise<WriteResult>;
  remove(path: string, options?: { recursive?: boolean }): Promise<void>;
  exists(path: string): Promise<boolean>;
  mkdir(path: string, mode?: number): Promise<void>;
  /** Run a program with an argument vector; nothing goes through a shell. */
  exec(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Absolute path of a program on the host's PATH, or undefined. */
  which(command: string): Promise<string | undefined>;
  /**
   * Names of the directories directly inside `path`, sorted; `[]` when `path` does not exist.
   * Only where listing costs no round trip or child process (the local host): callers fall back
   * to a command on the host when this is absent or answers undefined (the listing failed).
   */
  listDirectories?(path: string): Promise<string[] | undefined>;
  /** Release connections (ssh masters). */
  close(): Promise<void>;
}
