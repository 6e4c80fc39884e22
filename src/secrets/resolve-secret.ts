/**
 * Secret references → values, at apply time only. `env:VAR` reads this process's environment;
 * `file:PATH` reads a file (`~/…` and absolute paths allowed — secrets live outside git — and a
 * relative path resolves against the config repo root and must stay inside it). Every value is
 * registered with the redactor before it is returned. Errors name the reference, never a value.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { defaultHome, expandTilde } from '../hosts/local-host.js';
import { redactor } from '../log/redact.js';
import type { SecretRef, SecretResolver } from './types.js';

const SCHEMES: readonly SecretRef['scheme'][] = ['env', 'file', 'sops', 'vault', 'k8s'];
const SUPPORTED: readonly SecretRef['scheme'][] = ['env', 'file'];
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

export interface SecretResolverOptions {
  /** Absolute path of the config repo's work tree: relative `file:` paths resolve against it. */
  repoRoot: string;
  /** Environment for `env:` refs; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Home for `file:~/…`; default env `MCP_GITOPS_HOME` ?? `os.homedir()`. */
  home?: string;
}

export function createSecretResolver(options: SecretResolverOptions): SecretResolver {
  const env = options.env ?? process.env;
  const home = options.home ?? defaultHome(env);
  const repoRoot = path.resolve(options.repoRoot);
  return {
    async resolve(raw: string): Promise<string> {
      const ref = parseSecretRef(raw);
      const value = await resolveRef(ref, { env, home, repoRoot });
      redactor.add(value);
      return value;
    },
  };
}

async function resolveRef(
  ref: SecretRef,
  ctx: { env: NodeJS.ProcessEnv; home: string; repoRoot: string },
): Promise<string> {
  switch (ref.scheme) {
    case 'env': {
      const value = ctx.env[ref.path];
      if (value === undefined || value === '') {
        throw new McpGitopsError(
          'ERR_SECRET',
          `secret "${ref.raw}": environment variable ${ref.path} is not set`,
          {
            hint: `export ${ref.path} in the environment that runs mcp-gitops`,
          },
        );
      }
      return value;
    }
    case 'file':
      return readSecretFile(ref, ctx);
    default:
      throw new McpGitopsError(
        'ERR_SECRET',
        `secret "${ref.raw}": the ${ref.scheme} scheme is not supported yet`,
        {
          hint: `use one of ${SUPPORTED.map((s) => `${s}:`).join(', ')} in this version`,
        },
      );
  }
}

async function readSecretFile(ref: SecretRef, ctx: { home: string; repoRoot: string }): Promise<string> {
  const file = await secretFilePath(ref, ctx);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : 'error';
    throw new McpGitopsError('ERR_SECRET', `secret "${ref.raw}": cannot read ${file} (${code})`, {
      hint: code === 'ENOENT' ? 'create the file outside git, or fix the path' : 'check the file permissions',
    });
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') {
    throw new McpGitopsError('ERR_SECRET', `secret "${ref.raw}": ${file} is empty`, {
      hint: 'write the secret value into the file',
    });
  }
  return value;
}

async function secretFilePath(ref: SecretRef, ctx: { home: string; repoRoot: string }): Promise<string> {
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
