/**
 * What a secret reference says, read without resolving it: its scheme and path (`parseSecretRef`)
 * and, for `file:`, which file it names and whether that stays where it may (`secretFilePath`).
 * Shared by resolving (apply) and checking (plan's preflight).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { expandTilde } from '../hosts/local-host.js';
import type { SecretRef } from './types.js';

const SCHEMES: readonly SecretRef['scheme'][] = ['env', 'file', 'sops', 'vault', 'k8s'];
export const SUPPORTED_SCHEMES: readonly SecretRef['scheme'][] = ['env', 'file'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseSecretRef(raw: string): SecretRef {
  const colon = raw.indexOf(':');
  const scheme = colon > 0 ? raw.slice(0, colon) : '';
  const rest = colon > 0 ? raw.slice(colon + 1) : '';
  if (!isScheme(scheme)) {
    throw new McpGitopsError('ERR_SECRET', `secret reference "${raw}" has no known scheme`, {
      hint: `write <scheme>:<path> with scheme one of ${SCHEMES.join(', ')}, e.g. env:API_TOKEN or file:~/.secrets/token`,
    });
  }
  if (rest === '') {
    throw new McpGitopsError('ERR_SECRET', `secret reference "${raw}" is empty after "${scheme}:"`, {
      hint:
        scheme === 'env'
          ? 'name the variable, e.g. env:API_TOKEN'
          : `give a path, e.g. ${scheme}:~/.secrets/token`,
    });
  }
  if (scheme === 'env' && !ENV_NAME.test(rest)) {
    throw new McpGitopsError(
      'ERR_SECRET',
      `secret reference "${raw}": "${rest}" is not an environment variable name`,
      {
        hint: 'use letters, digits and underscores, not starting with a digit',
      },
    );
  }
  return { scheme, path: rest, raw };
}

/** The file a `file:` ref names; throws when a relative path escapes the repo (directly or through a link). */
export async function secretFilePath(
  ref: SecretRef,
  ctx: { home: string; repoRoot: string },
): Promise<string> {
  const expanded = expandTilde(ref.path, ctx.home);
  if (path.isAbsolute(expanded)) return expanded;
  const file = path.resolve(ctx.repoRoot, expanded);
  const escapes = (p: string, root: string) => {
    const rel = path.relative(root, p);
    return rel === '' || rel.startsWith('..') || path.isAbsolute(rel);
  };
  if (escapes(file, ctx.repoRoot) || (await escapesThroughLink(file, ctx.repoRoot, escapes))) {
    throw new McpGitopsError('ERR_SECRET', `secret "${ref.raw}": the path escapes the config repo`, {
      hint: 'a relative file: path must stay inside the repo; use ~/… or an absolute path for files outside it',
    });
  }
  return file;
}

/** A symlink inside the repo must not lead outside it either. */
async function escapesThroughLink(
  file: string,
  root: string,
  escapes: (p: string, root: string) => boolean,
): Promise<boolean> {
  try {
    const [realFile, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)]);
    return escapes(realFile, realRoot);
  } catch {
    return false; // Missing: reading it reports that.
  }
}

function isScheme(s: string): s is SecretRef['scheme'] {
  return (SCHEMES as readonly string[]).includes(s);
}
