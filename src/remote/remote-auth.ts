/**
 * Credentials for the remote config repo: a token read from a file or an environment variable
 * (never from the repo, never from the URL), registered with the one redactor before any use and
 * handed to isomorphic-git through `onAuth` only.
 */
import * as fs from 'node:fs';
import type { AuthCallback } from 'isomorphic-git';
import { McpGitopsError } from '../core/errors.js';
import { redactor } from '../log/redact.js';

export interface TokenSource {
  /** A file holding the token (trailing whitespace ignored). */
  file?: string;
  /** An environment variable holding the token. */
  env?: string;
}

/** The token, or undefined when no source is given. A named source that is empty is an error. */
export function readToken(source: TokenSource, what: string): string | undefined {
  let token: string | undefined;
  if (source.file) {
    try {
      token = fs.readFileSync(source.file, 'utf8').trim();
    } catch (err) {
      throw new McpGitopsError('ERR_USAGE', `cannot read the ${what} file ${source.file}`, {
        hint: 'the file must exist and be readable by this user',
        cause: err,
      });
    }
    if (!token) throw new McpGitopsError('ERR_USAGE', `the ${what} file ${source.file} is empty`);
  } else if (source.env && process.env[source.env]) {
    token = (process.env[source.env] as string).trim();
  }
  if (token) redactor.add(token);
  return token;
}

/** isomorphic-git `onAuth` for a token (GitHub-style: the token is the password). */
export function tokenAuth(token: string | undefined): AuthCallback | undefined {
  if (!token) return undefined;
  return () => ({ username: 'x-access-token', password: token });
}

/** A remote URL must be http(s) and carry no credentials (they belong in a token file or env var). */
export function checkRemoteUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new McpGitopsError('ERR_USAGE', `--remote ${url} is not a URL`, {
      hint: 'give an http(s) URL such as https://github.com/OWNER/REPO.git',
    });
  }
  if (parsed.username || parsed.password) {
    redactor.add(parsed.password || parsed.username);
    throw new McpGitopsError('ERR_USAGE', `--remote ${redactor.redact(url)} carries credentials in the URL`, {
      hint: 'put the token in a file (--git-token-file) or an env var (MCP_GITOPS_GIT_TOKEN) instead',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new McpGitopsError('ERR_USAGE', `--remote ${url}: only http(s) remotes are supported`, {
      hint: 'isomorphic-git speaks http(s) only; use the https URL of the repository',
    });
  }
  return parsed;
}
