/**
 * Remove every server a provider manages on the targets of an environment, through the
 * provider's own `delete` (used by the quickstart to leave no daemons behind, and by tests).
 * Reads the desired state only to find the targets; touches nothing else.
 */
import type { Change } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import { createEngineDeps } from './default-deps.js';
import { loadDesired } from './load-desired.js';
import { observeTargets } from './observe-targets.js';
import { closeSessions, openSessions } from './target-session.js';

export interface StopServersOptions {
  repoDir: string;
  environment?: string;
  /** Only targets of these providers (e.g. `['process']`); default every target. */
  providers?: readonly string[];
}

export async function stopServers(options: StopServersOptions): Promise<ChangeResult[]> {
  const { repo, desired } = await loadDesired({ repoDir: options.repoDir, environment: options.environment });
  for (const env of desired.environments) {
    env.targets = env.targets.filter((t) => !options.providers || options.providers.includes(t.provider));
  }
  const deps = createEngineDeps(repo.dir);
  const sessions = openSessions(desired, deps);
  try {
    const observed = await observeTargets(sessions, deps);
    const results: ChangeResult[] = [];
    for (const [i, target] of observed.entries()) {
      const session = sessions[i];
      if (!session?.provider || !session.ctx) continue;
      for (const server of target.servers) {
        const change: Change = {
          environment: target.environment,
          target: target.target,
          server: server.name,
          action: 'delete',
          reason: 'prune',
          diffs: [],
          observed: server,
        };
        results.push(await session.provider.apply(session.ctx, change));
      }
    }
    return results;
  } finally {
    await closeSessions(sessions);
  }
}
