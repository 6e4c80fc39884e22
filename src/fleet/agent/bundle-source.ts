/**
 * Which bundle a pass acts on: the hub's newest (fetched with If-None-Match, so an unchanged one
 * costs a 304), else — the hub is away or answered with a server error — the last verified one in
 * the cache, so an offline laptop keeps its servers as they were last declared. A refused bundle
 * (bad signature, wrong machine) is never used: the pass goes on with the cached one and says why.
 * A 404 means no fleet target matches the machine (nothing to do, the cache is not used).
 * A 401/403 is not "offline": the machine was revoked or its key is not the hub's, and the pass
 * stops (after trying a rotated key the hub may have taken without the agent hearing it).
 */
import { McpGitopsError } from '../../core/errors.js';
import { FLEET_PATHS, type SignedBundle } from '../protocol.js';
import { acceptBundle, BundleRefused, type CachedBundle, readCachedBundle } from './bundle-cache.js';
import { HubRequestError, httpError, hubRequest, parseJson } from './hub-client.js';
import { type AgentIdentity, machineKey, promotePending } from './identity.js';

export interface BundleChoice {
  /** Undefined when the hub says no fleet target matches this machine (404): nothing to do. */
  signed?: SignedBundle;
  source: 'hub' | 'not-modified' | 'cache';
  /** The identity in use after the fetch (a pending rotated key may have been promoted). */
  identity: AgentIdentity;
  /** Why the hub's bundle was not used (offline, refused), redacted by the caller. */
  notes: string[];
}

export async function chooseBundle(stateDir: string, identity: AgentIdentity): Promise<BundleChoice> {
  const notes: string[] = [];
  let cached: CachedBundle | undefined;
  try {
    cached = await readCachedBundle(stateDir, identity);
  } catch (err) {
    if (!(err instanceof BundleRefused)) throw err;
    notes.push(err.message);
  }
  let current = identity;
  try {
    let res = await fetchBundle(current, cached?.etag);
    if ((res.status === 401 || res.status === 403) && current.pendingPrivateKeyPem) {
      const promoted = await promotePending(stateDir, current);
      if (promoted) {
        current = promoted;
        res = await fetchBundle(current, cached?.etag);
      }
    }
    if (res.status === 304 && cached)
      return { signed: cached.signed, source: 'not-modified', identity: current, notes };
    if (res.status === 304) res = await fetchBundle(current, undefined);
    if (res.status === 401 || res.status === 403) throw httpError(res, 'bundle refused');
    if (res.status === 404) {
      notes.push('no fleet target matches this machine: nothing to apply');
      return { source: 'hub', identity: current, notes };
    }
    if (res.status >= 200 && res.status <= 299) {
      try {
        const signed = await acceptBundle(stateDir, current, parseJson(res, 'bundle'), res.etag);
        return { signed, source: 'hub', identity: current, notes };
      } catch (err) {
        if (!(err instanceof BundleRefused) && !(err instanceof HubRequestError)) throw err;
        notes.push((err as Error).message);
      }
    } else {
      notes.push(httpError(res, 'bundle not fetched').message);
    }
  } catch (err) {
    if (!(err instanceof HubRequestError) || err.kind !== 'network') throw err;
    notes.push(err.message);
  }
  if (!cached) {
    throw new McpGitopsError('ERR_HOST', `no bundle to act on: ${notes.join('; ')}`, {
      hint: 'the agent needs one bundle from the hub before it can work offline; check the hub URL and that `serve --fleet` runs',
    });
  }
  return { signed: cached.signed, source: 'cache', identity: current, notes };
}

function fetchBundle(identity: AgentIdentity, etag: string | undefined) {
  return hubRequest(identity, {
    method: 'GET',
    path: FLEET_PATHS.bundle,
    key: machineKey(identity),
    ...(etag ? { headers: { 'if-none-match': etag } } : {}),
  });
}
