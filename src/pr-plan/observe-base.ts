/**
 * The trusted half of a pull request's plan: the base branch's desired state, read from serve's
 * own cache checkout (never from the pull request), and an observation of its targets — the same
 * reads a `drift` of the base makes. When the base cannot be loaded, nothing is observed.
 *
 * Loading and validating the base is the costly part and runs in serve's own process, so it is
 * done once per commit of the checkout: pull requests planned against the same base share it.
 */

import type { DesiredState } from '../core/state.js';
import { createEngineDeps } from '../engine/default-deps.js';
import { findRetiredTargets } from '../engine/find-retired-targets.js';
import { loadDesired } from '../engine/load-desired.js';
import { observeTargets } from '../engine/observe-targets.js';
import { closeSessions, openSessions } from '../engine/target-session.js';
import type { EngineDeps } from '../engine/types.js';
import { openRepo } from '../git/open-repo.js';
import { redactor } from '../log/redact.js';
import { type BaseSurfaces, baseSurfaces } from './base-surfaces.js';
import type { BaseView } from './plan-against-base.js';

interface LoadedBase {
  head: string | undefined;
  revision: string;
  desired: DesiredState;
  surfaces: BaseSurfaces;
}

const loaded = new Map<string, LoadedBase>();

export async function observeBase(repoDir: string, deps: Partial<EngineDeps>): Promise<BaseView> {
  let base: { revision: string; desired: DesiredState };
  try {
    base = await loadBase(repoDir);
  } catch (err) {
    const why = redactor.redact(err instanceof Error ? err.message : String(err));
    deps.logger?.warn({ err: why }, 'pull request plan: the base config cannot be loaded');
    return {
      observed: [],
      unavailable: "the base branch's config could not be loaded, so no target is observed",
    };
  }
  const engineDeps = createEngineDeps(repoDir, deps);
  const sessions = openSessions(base.desired, engineDeps);
  try {
    const observed = await observeTargets(sessions, engineDeps);
    return { revision: base.revision, desired: base.desired, observed };
  } finally {
    await closeSessions(sessions);
  }
}

/**
 * The base's server versions and tool locks (for a pull request's new surfaces), or undefined
 * when the base config cannot be loaded. Shares observeBase's per-commit cache.
 */
export async function baseSurfacesOf(
  repoDir: string,
  deps: Partial<EngineDeps>,
): Promise<BaseSurfaces | undefined> {
  try {
    return (await loadBase(repoDir)).surfaces;
  } catch (err) {
    const why = redactor.redact(err instanceof Error ? err.message : String(err));
    deps.logger?.warn({ err: why }, 'pull request plan: the base tool locks cannot be loaded');
    return undefined;
  }
}

async function loadBase(repoDir: string): Promise<LoadedBase> {
  // Keyed by HEAD, not the config revision: retired targets come from the reports at HEAD.
  const head = await (await openRepo(repoDir)).head();
  const hit = loaded.get(repoDir);
  if (hit && hit.head === head) return hit;
  const { repo, desired, revision, toolLock } = await loadDesired({ repoDir });
  desired.retired = await findRetiredTargets({ repo, desired });
  const entry = { head, revision, desired, surfaces: baseSurfaces(desired, toolLock) };
  loaded.set(repoDir, entry);
  return entry;
}
