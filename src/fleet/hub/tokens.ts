/**
 * One-time enrolment tokens. `fleet token create` makes 32 random bytes (base64url) behind the
 * prefix `mcpg_enroll_` (so a token never reads as a command-line option, and secret scanners can
 * recognise one in a paste or a commit), prints them
 * once and stores only their sha256 with what an enrolment gets (environment, labels, expiry):
 * `tokens/<sha256>.json`. An enrolment consumes its token by renaming that file away, an atomic
 * step only one of two racing enrolments can win; an expired token is refused and removed.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../signing.js';
import { hubPaths } from './hub-store.js';
import { ensurePrivateDir, writePrivateFile } from './state-files.js';

export const DEFAULT_TOKEN_TTL_MS = 24 * 3_600_000;
const TOKEN = /^mcpg_enroll_[A-Za-z0-9_-]{43}$/;

export interface TokenGrant {
  environment: string;
  labels: Record<string, string>;
  /** ms since epoch. */
  expiresAt: number;
}

export type ConsumeResult = { ok: true; grant: TokenGrant } | { ok: false; why: 'unknown' | 'expired' };

/** Make a token for `grant`; returns the token, which is stored nowhere. */
/** Every enrolment token starts with this. */
export const TOKEN_PREFIX = 'mcpg_enroll_';

export function createToken(fleetDir: string, grant: TokenGrant): string {
  const paths = hubPaths(fleetDir);
  ensurePrivateDir(paths.dir);
  ensurePrivateDir(paths.tokens);
  const token = `${TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  writePrivateFile(path.join(paths.tokens, `${sha256Hex(token)}.json`), `${JSON.stringify(grant)}\n`);
  return token;
}

/**
 * Use a token up. Whatever the outcome the token cannot be used again; `unknown` covers a token
 * never made, already used, or not of the token's shape (nothing tells them apart to the caller).
 */
export function consumeToken(fleetDir: string, token: unknown, now: number): ConsumeResult {
  if (typeof token !== 'string' || !TOKEN.test(token)) return { ok: false, why: 'unknown' };
  const dir = hubPaths(fleetDir).tokens;
  const file = path.join(dir, `${sha256Hex(token)}.json`);
  const taken = path.join(dir, `.${sha256Hex(token)}.${crypto.randomBytes(6).toString('hex')}.consumed`);
  try {
    fs.renameSync(file, taken);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, why: 'unknown' };
    throw err;
  }
  try {
    const grant = JSON.parse(fs.readFileSync(taken, 'utf8')) as TokenGrant;
    if (!(grant.expiresAt > now)) return { ok: false, why: 'expired' };
    return { ok: true, grant };
  } finally {
    fs.rmSync(taken, { force: true });
  }
}
