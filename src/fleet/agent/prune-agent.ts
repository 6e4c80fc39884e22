/**
 * `agent uninstall --prune`: take out every client entry the agent put on this machine — the
 * engine's own loop over the cached bundle's targets with no servers and prune on, so only entries
 * in the client-config inventory go and the user's own entries stay — then remove the agent's
 * state folder (its key and cached bundle). Works offline: the cached bundle is all it needs.
 */
import * as fs from 'node:fs/promises';
import { createEngineDeps } from '../../engine/default-deps.js';
import { createEffects } from '../../engine/effects.js';
import { runLoop } from '../../engine/run-loop.js';
import type { EngineDeps } from '../../engine/types.js';
import { engineRoot } from './agent-files.js';
import { readCachedBundle } from './bundle-cache.js';
import { desiredFromBundle } from './desired-from-bundle.js';
import { loadIdentity } from './identity.js';
import { withPassLock } from './pass-lock.js';

export interface PruneResult {
  removed: string[];
  failed: string[];
  stateDirRemoved: boolean;
}

export function pruneAgent(stateDir: string, deps: Partial<EngineDeps> = {}): Promise<PruneResult> {
  return withPassLock(stateDir, () => prune(stateDir, deps));
}

async function prune(stateDir: string, deps: Partial<EngineDeps>): Promise<PruneResult> {
  const identity = await loadIdentity(stateDir);
  const cached = await readCachedBundle(stateDir, identity);
  const removed: string[] = [];
  const failed: string[] = [];
  if (cached) {
    const desired = desiredFromBundle(cached.signed.bundle, { removeAll: true });
    const engine = createEngineDeps(engineRoot(stateDir), deps);
    const loop = await runLoop({
      desired,
      deps: engine,
      effects: createEffects(false, engine.logger),
      root: engineRoot(stateDir),
    });
    for (const t of loop.targets)
      for (const r of t.results) {
        if (r.action !== 'delete') continue;
        (r.outcome === 'applied' ? removed : failed).push(`${t.target}/${r.server}`);
      }
    for (const p of loop.plan.targets) if (p.stalled) failed.push(`${p.target} (${p.stalled.reason})`);
  }
  // Keep the key and bundle when something could not be removed, so a second try can.
  if (failed.length > 0) return { removed, failed, stateDirRemoved: false };
  await fs.rm(stateDir, { recursive: true, force: true });
  return { removed, failed, stateDirRemoved: true };
}
