/**
 * Ed25519 for the fleet: the hub signs bundles, each agent signs its requests. Keys travel as
 * base64 SPKI DER (public) and are stored as PKCS#8 PEM (private, files of mode 0600). Node's own
 * crypto does all of it; the canonical JSON is the one behind spec hashes.
 */
import * as crypto from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';
import type { FleetBundle, SignedBundle } from './protocol.js';

export interface KeyPair {
  /** base64 SPKI DER. */
  publicKey: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The public key (base64 SPKI DER) of a private key. */
export function publicKeyOf(privateKeyPem: string): string {
  return crypto
    .createPublicKey(crypto.createPrivateKey(privateKeyPem))
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
}

/** A base64 SPKI DER Ed25519 public key, or undefined when it is not one. */
export function parsePublicKey(base64: string): crypto.KeyObject | undefined {
  if (typeof base64 !== 'string' || base64.length > 200 || !/^[A-Za-z0-9+/]+=*$/.test(base64))
    return undefined;
  try {
    const key = crypto.createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parsed public keys by their base64 text, so a hub verifying every check-in does not parse the
 * machine's key each time (as costly as the signature check itself). Bounded: past `max` the
 * oldest entry goes.
 */
export class PublicKeyCache {
  private readonly keys = new Map<string, crypto.KeyObject>();
  constructor(private readonly max = 100_000) {}

  get(base64: string): crypto.KeyObject | undefined {
    const hit = this.keys.get(base64);
    if (hit) return hit;
    const key = parsePublicKey(base64);
    if (!key) return undefined;
    if (this.keys.size >= this.max) this.keys.delete(this.keys.keys().next().value as string);
    this.keys.set(base64, key);
    return key;
  }
}

export function sign(data: string | Buffer, privateKeyPem: string): string {
  return crypto.sign(null, Buffer.from(data), crypto.createPrivateKey(privateKeyPem)).toString('base64');
}

export function verify(
  data: string | Buffer,
  signature: string,
  publicKey: string | crypto.KeyObject,
): boolean {
  const key = typeof publicKey === 'string' ? parsePublicKey(publicKey) : publicKey;
  if (!key || typeof signature !== 'string' || signature.length > 200) return false;
  try {
    return crypto.verify(null, Buffer.from(data), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

export function signBundle(bundle: FleetBundle, hubPrivateKeyPem: string): SignedBundle {
  return { bundle, signature: sign(canonicalJson(bundle), hubPrivateKeyPem) };
}

export function verifyBundle(signed: SignedBundle, hubPublicKey: string): boolean {
  return verify(canonicalJson(signed.bundle), signed.signature, hubPublicKey);
}

export function sha256Hex(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export interface RequestToSign {
  method: string;
  /** The request path, without the query string. */
  path: string;
  machineId: string;
  /** ms since epoch, as a decimal string. */
  timestamp: string;
  /** 32 hex characters, new for every request. */
  nonce: string;
  /** The raw body ('' for none). */
  body: string | Buffer;
}

/** The exact bytes a request signature covers. */
export function requestSigningString(r: RequestToSign): string {
  return [
    'MCPG-FLEET-1',
    r.method.toUpperCase(),
    r.path,
    r.machineId,
    r.timestamp,
    r.nonce,
    sha256Hex(r.body),
  ].join('\n');
}

export function newNonce(): string {
  return crypto.randomBytes(16).toString('hex');
}
