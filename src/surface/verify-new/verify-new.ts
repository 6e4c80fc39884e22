/**
 * `plan --verify-new`: start each new server spec in a scratch place (scratch-place.ts), speak MCP
 * to it exactly as verification after apply does (src/verify/verify-server.ts), keep its surface,
 * stop it, and compare the surface with the approved lock: the lock of the new version when the
 * repo has one, else the lock of the version the targets run now. One at a time (a package runner
 * is heavy; the machine may be small), each bounded, all bounded together; cleanup always runs.
 */
import { verifyServer } from '../../verify/verify-server.js';
import { diffSurface } from '../diff-surface.js';
import { scanSurface } from '../hygiene/index.js';
import type { ServerIdentity } from '../types.js';
import { DEFAULT_VERIFY_NEW_SERVER_MS, DEFAULT_VERIFY_NEW_TOTAL_MS } from './limits.js';
import { openScratchPlace, scratchSkipReason } from './scratch-place.js';
import type { LockLookup, VerifyNewCandidate, VerifyNewResult } from './types.js';

export interface VerifyNewOptions {
  lockFor: LockLookup;
  /** Limit per server, from start to surface (default 60 s). */
  perServerMs?: number;
  /** Limit for all servers together (default 180 s); servers not reached are skipped, saying so. */
  totalMs?: number;
  /** Where scratch places are made (default the OS temp dir). */
  scratchParent?: string;
  signal?: AbortSignal;
  progress?: (server: string, text: string) => void;
}

export async function verifyNew(
  candidates: readonly VerifyNewCandidate[],
  options: VerifyNewOptions,
): Promise<VerifyNewResult[]> {
  const perServerMs = options.perServerMs ?? DEFAULT_VERIFY_NEW_SERVER_MS;
  const totalMs = options.totalMs ?? DEFAULT_VERIFY_NEW_TOTAL_MS;
  const deadline = Date.now() + totalMs;
  const results: VerifyNewResult[] = [];
  for (const candidate of candidates) {
    const base = {
      server: candidate.server,
      version: candidate.version,
      ...(candidate.previousVersion === undefined ? {} : { previousVersion: candidate.previousVersion }),
      targets: candidate.targets,
    };
    const skip = scratchSkipReason(candidate.desired);
    if (skip) {
      results.push({ ...base, outcome: 'skipped', reason: skip });
      continue;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0 || options.signal?.aborted) {
      results.push({
        ...base,
        outcome: 'skipped',
        reason: options.signal?.aborted
          ? 'verification was stopped'
          : `not reached: --verify-new spends at most ${seconds(totalMs)} on all servers together`,
      });
      continue;
    }
    results.push({
      ...base,
      ...(await startAndCompare(candidate, Math.min(perServerMs, remaining), options)),
    });
  }
  return results;
}

async function startAndCompare(
  candidate: VerifyNewCandidate,
  timeoutMs: number,
  options: VerifyNewOptions,
): Promise<Omit<VerifyNewResult, 'server' | 'version' | 'previousVersion' | 'targets'>> {
  options.progress?.(candidate.server, `starting ${candidate.version} in a scratch place`);
  const place = await openScratchPlace(candidate.desired, options.scratchParent);
  const started = Date.now();
  let result: Awaited<ReturnType<typeof verifyServer>>;
  try {
    result = await verifyServer(
      place.endpoint,
      { timeoutMs },
      options.signal ? { signal: options.signal } : {},
    );
  } finally {
    await place.cleanup();
  }
  const durationMs = Date.now() - started;
  const surface = result.surface;
  if (!surface)
    return { outcome: 'failed', reason: result.error ?? 'it did not answer over MCP', durationMs };
  const identity = (result as { identity?: ServerIdentity }).identity;
  const own = options.lockFor(candidate.server, candidate.version);
  const lock =
    own ??
    (candidate.previousVersion ? options.lockFor(candidate.server, candidate.previousVersion) : undefined);
  const lockedVersion = own ? candidate.version : candidate.previousVersion;
  const hygiene = scanSurface(candidate.server, surface).findings;
  return {
    outcome: 'verified',
    surface,
    ...(identity ? { identity } : {}),
    ...(lock && lockedVersion !== undefined
      ? { lock: { file: lock.file, version: lockedVersion }, diff: diffSurface(lock.surface, surface) }
      : {}),
    ...(hygiene.length > 0 ? { hygiene } : {}),
    durationMs,
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
