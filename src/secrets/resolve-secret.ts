/**
 * Secret references → values, at apply time only. `env:VAR` reads this process's environment;
 * `file:PATH` reads a file (`~/…` and absolute paths allowed — secrets live outside git — and a
 * relative path resolves against the config repo root and must stay inside it). Every value is
 * registered with the redactor before it is returned. Errors name the reference, never a value.
 * `check` (plan's preflight, check-secret.ts) says whether a reference would resolve, without its value.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { McpGitopsError } from '../core/errors.js';
import { defaultHome } from '../hosts/local-host.js';
import { redactor } from '../log/redact.js';
import { checkSecretRef } from './check-secret.js';
import { parseSecretRef, SUPPORTED_SCHEMES, secretFilePath } from './secret-ref.js';
import type { SecretRef, SecretResolver } from './types.js';

export { parseSecretRef } from './secret-ref.js';

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
    check: (raw) => checkSecretRef(raw, { env, home, repoRoot }),
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
          hint: `use one of ${SUPPORTED_SCHEMES.map((s) => `${s}:`).join(', ')} in this version`,
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
