/**
 * The bundle the agent acts on. A bundle is used, and cached, only after its signature verifies
 * against the hub key pinned at enrolment and it names this machine: a bundle altered on disk or
 * in transit, or meant for another machine, is refused loudly and the last good one kept. The
 * cache is what an offline laptop keeps reconciling against.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { SignedBundle } from '../protocol.js';
import { verifyBundle } from '../signing.js';
import { readAgentJson, writeAgentJson } from './agent-files.js';

export interface CachedBundle {
  signed: SignedBundle;
  /** The hub's ETag for it (sent back as If-None-Match). */
  etag?: string;
}

/** Why a bundle is not acceptable, or undefined when it is. Pure. */
export function bundleProblem(
  signed: unknown,
  pinned: { machineId: string; hubPublicKey: string },
): string | undefined {
  const s = signed as Partial<SignedBundle> | undefined;
  if (
    !s ||
    typeof s !== 'object' ||
    typeof s.signature !== 'string' ||
    !s.bundle ||
    typeof s.bundle !== 'object'
  )
    return 'it is not a signed bundle';
  if (!verifyBundle(s as SignedBundle, pinned.hubPublicKey))
    return 'its signature does not verify against the hub key pinned at enrolment';
  const b = s.bundle;
  if (b.schema !== 'mcp-gitops/fleet-bundle/v1') return 'its schema is not mcp-gitops/fleet-bundle/v1';
  if (b.machineId !== pinned.machineId) return 'it was issued for another machine';
  if (!Array.isArray(b.targets) || !b.sync || typeof b.environment !== 'string')
    return 'it lacks targets, sync or environment';
  return undefined;
}

export class BundleRefused extends McpGitopsError {
  constructor(where: string, problem: string) {
    super('ERR_IO', `refused the bundle from ${where}: ${problem}`, {
      hint: 'the last good bundle is kept; if the hub key really changed, enrol this machine again',
    });
  }
}

/** Verifies, then caches; throws BundleRefused (and leaves the cache alone) when it does not verify. */
export async function acceptBundle(
  stateDir: string,
  pinned: { machineId: string; hubPublicKey: string },
  signed: unknown,
  etag: string | undefined,
): Promise<SignedBundle> {
  const problem = bundleProblem(signed, pinned);
  if (problem) throw new BundleRefused('the hub', problem);
  const cached: CachedBundle = { signed: signed as SignedBundle, ...(etag ? { etag } : {}) };
  await writeAgentJson(stateDir, 'bundle', cached);
  return cached.signed;
}

/**
 * The cached bundle, verified again (the file could have been edited since). Undefined when there
 * is none; BundleRefused when it does not verify.
 */
export async function readCachedBundle(
  stateDir: string,
  pinned: { machineId: string; hubPublicKey: string },
): Promise<CachedBundle | undefined> {
  const data = (await readAgentJson(stateDir, 'bundle')) as Partial<CachedBundle> | undefined;
  if (!data) return undefined;
  const problem = bundleProblem(data.signed, pinned);
  if (problem) throw new BundleRefused('the cache (bundle.json)', problem);
  return data as CachedBundle;
}
