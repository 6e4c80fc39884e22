/**
 * The trusted half of a pull request's plan: the base branch's desired state, read from serve's
 * own cache checkout (never from the pull request), and an observation of its targets — the same
 * reads a `drift` of the base makes. When the base cannot be loaded, nothing is observed.
 */
import { createEngineDeps } from '../engine/default-deps.js';
import { findRetiredTargets } from '../engine/find-retired-targets.js';
import { loadDesired } from '../engine/load-desired.js';
import { observeTargets } from '../engine/observe-targets.js';
import { closeSessions, openSessions } from '../engine/target-session.js';
import type { EngineDeps } from '../engine/types.js';
import { redactor } from '../log/redact.js';
import type { BaseView } from './plan-against-base.js';

export async function observeBase(repoDir: string, deps: Partial<EngineDeps>): Promise<BaseView> {
  let loaded: Awaited<ReturnType<typeof loadDesired>>;
  try {
    loaded = await loadDesired({ repoDir });
  } catch (err) {
    const why = redactor.redact(err instanceof Error ? err.message : String(err));
    deps.logger?.warn({ err: why }, 'pull request plan: the base config cannot be loaded');
    return {
      observed: [],
      unavailable: "the base branch's config could not be loaded, so no target is observed",
    };
  }
  const { repo, desired, revision } = loaded;
  desired.retired = await findRetiredTargets({ repo, desired });
  const engineDeps = createEngineDeps(repo.dir, deps);
  const sessions = openSessions(desired, engineDeps);
  try {
    const observed = await observeTargets(sessions, engineDeps);
    return { revision, desired, observed };
  } finally {
    await closeSessions(sessions);
  }
}
