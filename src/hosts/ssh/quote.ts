/**
 * POSIX shell quoting: the one function every remote command goes through. A single-quoted word
 * is taken literally by every POSIX shell (sh, dash, bash, ksh, zsh): no expansion of `$`, `` ` ``,
 * `\`, globs, `;` or newlines. A single quote inside is closed, escaped and reopened (`'\''`).
 */
import { McpGitopsError } from '../../core/errors.js';

/** Quote one word for a POSIX shell. */
export function quote(word: string): string {
  if (word.includes('\0')) {
    throw new McpGitopsError('ERR_HOST', 'a remote command argument contains a NUL byte', {
      hint: 'arguments, paths and environment values cannot carry NUL bytes over ssh',
    });
  }
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Quote an argument vector into one shell command line. */
export function quoteArgs(argv: readonly string[]): string {
  return argv.map(quote).join(' ');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `export NAME='value'` statements for a remote script. Names are checked (they are the only
 * unquoted part); values are quoted. Exported by the shell instead of passed as `env K=V` so a
 * value never shows in the long-running process's argv on the host.
 */
export function exportEnv(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => {
      if (!ENV_NAME.test(name)) {
        throw new McpGitopsError('ERR_HOST', `environment variable name "${name}" is not valid`, {
          hint: 'use letters, digits and underscores, not starting with a digit',
        });
      }
      return `export ${name}=${quote(value)}`;
    })
    .join('; ');
}
