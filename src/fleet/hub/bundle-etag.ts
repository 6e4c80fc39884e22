/**
 * A bundle's ETag: sha256 of its canonical JSON without `issuedAt`, so a bundle re-signed for the
 * same desired state is the same version and an agent that has it gets 304 Not Modified.
 */
import { canonicalJson } from '../../core/canonical-json.js';
import type { FleetBundle } from '../protocol.js';
import { sha256Hex } from '../signing.js';

export function bundleDigest(bundle: FleetBundle): string {
  const { issuedAt: _issuedAt, ...rest } = bundle;
  return sha256Hex(canonicalJson(rest));
}

/** Whether an `If-None-Match` header names this ETag (`*`, a list, weak or strong). */
export function matchesEtag(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (typeof ifNoneMatch !== 'string') return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}
