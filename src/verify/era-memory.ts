/**
 * Which handshake an endpoint answered last, so the next verification of the same endpoint in this
 * process skips a `server/discover` probe that a 2025-era server answers with silence (the probe
 * would cost its whole sub-deadline every time) or by exiting. Only that legacy verdict is kept,
 * and only for a while or until a greeting relying on it fails: a server upgraded in place is
 * probed again. A modern verdict is not kept: its probe is its handshake and costs nothing extra.
 */
import type { Endpoint } from '../providers/types.js';

const LEGACY_VERDICT_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 1000;

const legacySince = new Map<string, number>();

/** What identifies an endpoint's server: the command line and directory, or the URL. */
export function endpointKey(endpoint: Endpoint): string {
  return endpoint.kind === 'stdio'
    ? JSON.stringify(['stdio', endpoint.command, endpoint.args, endpoint.cwd ?? ''])
    : JSON.stringify(['http', endpoint.url]);
}

export function rememberedLegacy(endpoint: Endpoint, now = Date.now()): boolean {
  const key = endpointKey(endpoint);
  const since = legacySince.get(key);
  if (since === undefined) return false;
  if (now - since < LEGACY_VERDICT_TTL_MS) return true;
  legacySince.delete(key);
  return false;
}

/** Drop a verdict that may be stale (an attempt greeted with `initialize` failed). */
export function forgetEra(endpoint: Endpoint): void {
  legacySince.delete(endpointKey(endpoint));
}

export function rememberEra(endpoint: Endpoint, era: 'legacy' | 'modern', now = Date.now()): void {
  const key = endpointKey(endpoint);
  legacySince.delete(key);
  if (era === 'modern') return;
  if (legacySince.size >= MAX_ENTRIES) {
    const oldest = legacySince.keys().next().value;
    if (oldest !== undefined) legacySince.delete(oldest);
  }
  legacySince.set(key, now);
}
