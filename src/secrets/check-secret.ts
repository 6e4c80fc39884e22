/**
 * Would a secret reference resolve here, now? `plan` asks before `apply` needs the value (its
 * preflight): an `env:` variable is set and not empty, a `file:` is a readable, non-empty regular
 * file inside the rules `resolve` applies. Only presence and readability are looked at: no value
 * is returned, kept or registered, and a file's content is never read beyond its first two bytes
 * (to tell a file holding only a line break, which resolves to nothing, from a real one).
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import { McpGitopsError } from '../core/errors.js';
import { parseSecretRef, SUPPORTED_SCHEMES, secretFilePath } from './secret-ref.js';
import type { SecretCheck, SecretRef } from './types.js';

export interface CheckContext {
  env: NodeJS.ProcessEnv;
  home: string;
  repoRoot: string;
}

export async function checkSecretRef(raw: string, ctx: CheckContext): Promise<SecretCheck | undefined> {
  let ref: SecretRef;
  try {
    ref = parseSecretRef(raw);
  } catch (err) {
    return fromError(err);
  }
  switch (ref.scheme) {
    case 'env': {
      const value = ctx.env[ref.path];
      if (value !== undefined && value !== '') return undefined;
      return {
        reason: `environment variable ${ref.path} is not set`,
        hint: `export ${ref.path} in the environment that runs mcp-gitops`,
      };
    }
    case 'file':
      return checkFile(ref, ctx);
    default:
      return {
        reason: `the ${ref.scheme} scheme is not supported yet`,
        hint: `use one of ${SUPPORTED_SCHEMES.map((s) => `${s}:`).join(', ')} in this version`,
      };
  }
}

async function checkFile(ref: SecretRef, ctx: CheckContext): Promise<SecretCheck | undefined> {
  let file: string;
  try {
    file = await secretFilePath(ref, ctx);
  } catch (err) {
    return fromError(err);
  }
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile())
      return { reason: `${file} is not a regular file`, hint: 'point the reference at a file' };
    size = stat.size;
    await fs.access(file, constants.R_OK);
  } catch (err) {
    const code = err && typeof err === 'object' && 'code' in err ? String(err.code) : 'error';
    return {
      reason: `cannot read ${file} (${code})`,
      hint: code === 'ENOENT' ? 'create the file outside git, or fix the path' : 'check the file permissions',
    };
  }
  if (size === 0 || (size <= 2 && (await onlyLineBreak(file, size)))) {
    return { reason: `${file} is empty`, hint: 'write the secret value into the file' };
  }
  return undefined;
}

/** True when the file's bytes are `\n` or `\r\n`: `resolve` strips one line break, leaving nothing. */
async function onlyLineBreak(file: string, size: number): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    await handle.read(buffer, 0, size, 0);
    const text = buffer.toString('latin1');
    buffer.fill(0);
    return text === '\n' || text === '\r\n';
  } finally {
    await handle.close();
  }
}

/** An McpGitopsError's message without its `secret "<ref>": ` prefix (the warning names the ref). */
function fromError(err: unknown): SecretCheck {
  if (err instanceof McpGitopsError) {
    return { reason: err.message.replace(/^secret "[^"]*": /, ''), ...(err.hint ? { hint: err.hint } : {}) };
  }
  return { reason: err instanceof Error ? err.message : String(err) };
}
