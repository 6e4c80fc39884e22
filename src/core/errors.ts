/**
 * The one error type of mcp-gitops: a stable code, a message that names what is wrong, and a hint
 * that says what to do. The CLI's single top-level catch maps these to exit codes (DESIGN.md §5).
 */
export type ErrorCode =
  | 'ERR_INVALID_CONFIG' // validation produced error diagnostics
  | 'ERR_USAGE' // bad command-line usage
  | 'ERR_NOT_A_REPO' // --repo is not a git work tree / config repo
  | 'ERR_GIT' // a git operation failed
  | 'ERR_PROVIDER' // a provider failed outside of a single change
  | 'ERR_HOST' // a host could not be reached or a command on it failed
  | 'ERR_SECRET' // a secret reference could not be resolved
  | 'ERR_APPLY_FAILED' // one or more changes failed
  | 'ERR_GATE' // a safety gate (maxDeletions, preApply hook) stopped the run
  | 'ERR_PLAN_FILE' // a saved plan is unreadable or stale
  | 'ERR_IO'; // a file could not be read or written

export class McpGitopsError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** Extra lines printed before the message (e.g. diagnostics). */
  readonly details?: string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; details?: string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'McpGitopsError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export function isMcpGitopsError(err: unknown): err is McpGitopsError {
  return err instanceof McpGitopsError;
}
