import { McpGitopsError } from '../core/errors.js';

/** Runs `fn`, prefixing any McpGitopsError it throws with where resolution was (env, target, field). */
export function withLocation<T>(where: () => string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof McpGitopsError) {
      throw new McpGitopsError(err.code, `${where()}: ${err.message}`, {
        hint: err.hint,
        cause: err.cause ?? err,
      });
    }
    throw err;
  }
}
