/**
 * Who sent a signed agent request. Everything that can be decided from the headers is decided
 * before the body is read: the four FLEET_HEADERS present and well-formed, the timestamp within
 * FLEET_CLOCK_SKEW_MS of the hub's clock, the machine enrolled and not revoked (the marker file
 * `fleet revoke` writes is looked up on every request), a declared length within the route's cap.
 * Then the body is read raw (capped), the Ed25519 signature checked over requestSigningString with
 * those exact bytes, and only a verified request's nonce is remembered (a second use is a replay).
 * A refusal names a rule for the hub's log and tells the client nothing more than its status.
 */
import type { IncomingMessage } from 'node:http';
import { hasBody } from '../../serve/create-serve-app.js';
import { readBody } from '../../serve/read-body.js';
import { FLEET_CLOCK_SKEW_MS, FLEET_HEADERS } from '../protocol.js';
import type { MachineRecord } from '../rollout/types.js';
import { PublicKeyCache, requestSigningString, verify } from '../signing.js';
import type { Refusal } from './fleet-http.js';
import type { HubStore } from './hub-store.js';
import { isMachineId } from './machine-id.js';
import type { NonceCache } from './nonce-cache.js';

export interface AuthContext {
  store: HubStore;
  nonces: NonceCache;
  now: () => number;
  bodyIdleMs: number;
  bodyDeadlineMs: number;
}

const machineKeys = new PublicKeyCache();

/** Why a request was refused, for the hub's log (never sent to the client). */
export type AuthReason =
  | 'malformed-headers'
  | 'clock-skew'
  | 'unknown-machine'
  | 'revoked'
  | 'body-on-get'
  | 'too-large'
  | 'body-timeout'
  | 'aborted'
  | 'bad-signature'
  | 'replayed-nonce';

export type AuthOutcome =
  | { ok: true; machine: MachineRecord; body: Buffer }
  | { ok: false; refusal: Refusal; reason: AuthReason; bodyRead: boolean };

const TIMESTAMP = /^\d{1,16}$/;
const NONCE = /^[0-9a-f]{32}$/;
const SIGNATURE = /^[A-Za-z0-9+/]{1,200}={0,2}$/;

export async function authenticate(
  req: IncomingMessage,
  path: string,
  bodyLimit: number,
  ctx: AuthContext,
): Promise<AuthOutcome> {
  const no = (refusal: Refusal, reason: AuthReason, bodyRead = false): AuthOutcome => ({
    ok: false,
    refusal,
    reason,
    bodyRead,
  });
  const machineId = header(req, FLEET_HEADERS.machine);
  const timestamp = header(req, FLEET_HEADERS.timestamp);
  const nonce = header(req, FLEET_HEADERS.nonce);
  const signature = header(req, FLEET_HEADERS.signature);
  if (
    !isMachineId(machineId) ||
    !TIMESTAMP.test(timestamp ?? '') ||
    !NONCE.test(nonce ?? '') ||
    !SIGNATURE.test(signature ?? '')
  )
    return no('unauthorized', 'malformed-headers');
  const at = Number(timestamp);
  const now = ctx.now();
  if (Math.abs(now - at) > FLEET_CLOCK_SKEW_MS) return no('unauthorized', 'clock-skew');
  const machine = ctx.store.get(machineId);
  if (!machine) return no('unauthorized', 'unknown-machine');
  if (machine.revokedAt !== undefined) return no('forbidden', 'revoked');
  if (ctx.store.isRevoked(machineId)) {
    ctx.store.syncRevocations();
    return no('forbidden', 'revoked');
  }

  let body: Buffer = Buffer.alloc(0);
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') {
    if (hasBody(req)) return no('bad-request', 'body-on-get');
  } else {
    const read = await readBody(req, bodyLimit, { idleMs: ctx.bodyIdleMs, deadlineMs: ctx.bodyDeadlineMs });
    if (read === 'too-large') return no('too-large', 'too-large');
    if (read === 'idle' || read === 'deadline') return no('timed-out', 'body-timeout');
    if (read === 'aborted') return no('bad-request', 'aborted');
    body = read;
  }
  const signed = requestSigningString({
    method: method === 'HEAD' ? 'GET' : method,
    path,
    machineId,
    timestamp: timestamp as string,
    nonce: nonce as string,
    body,
  });
  const key = machineKeys.get(machine.publicKey);
  if (!key || !verify(signed, signature as string, key)) return no('unauthorized', 'bad-signature', true);
  if (!ctx.nonces.remember(machineId, nonce as string, at, now))
    return no('unauthorized', 'replayed-nonce', true);
  return { ok: true, machine, body };
}

/** One header's value; a repeated header counts as malformed (undefined). */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
