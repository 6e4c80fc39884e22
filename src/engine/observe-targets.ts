/**
 * Observe every target in parallel. A target that cannot be reached (or whose provider throws)
 * becomes `reachable: false` with the reason — Stalled in the report — and the others continue.
 */
import type { ObservedTarget } from '../core/state.js';
import { redactor } from '../log/redact.js';
import type { TargetSession } from './target-session.js';
import type { EngineDeps } from './types.js';

export async function observeTargets(
  sessions: readonly TargetSession[],
  deps: EngineDeps,
): Promise<ObservedTarget[]> {
  return Promise.all(sessions.map((s) => observeOne(s, deps)));
}

async function observeOne(session: TargetSession, deps: EngineDeps): Promise<ObservedTarget> {
  const base = { environment: session.environment.name, target: session.target.name };
  if (!session.provider || !session.ctx) {
    return {
      ...base,
      reachable: false,
      reason: session.error ?? 'the target could not be opened',
      servers: [],
    };
  }
  deps.progress?.({ where: `${base.environment}/${base.target}`, text: 'observing' });
  try {
    const observed = await session.provider.observe(session.ctx);
    // `unknown` health says nothing: drop it so the last verified health is carried forward.
    const servers = observed.servers.map(({ health, ...s }) =>
      health === undefined || health === 'unknown' ? s : { ...s, health },
    );
    return { ...observed, ...base, servers };
  } catch (err) {
    const reason = redactor.redact(err instanceof Error ? err.message : String(err));
    deps.logger.warn({ ...base, reason }, 'target not reachable');
    return { ...base, reachable: false, reason, servers: [] };
  }
}
