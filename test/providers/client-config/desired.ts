/**
 * Desired targets and environments as the resolver makes them, for the client-config tests that
 * need only their shape (server URLs, rendering): plain data, no files.
 */
import type { TargetSpec } from '../../../src/core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../../src/core/state.js';

export function desiredTarget(
  name: string,
  provider: string,
  options: { settings?: Partial<TargetSpec>; servers?: DesiredServer[]; host?: string } = {},
): DesiredTarget {
  return {
    environment: 'dev',
    name,
    provider,
    host: options.host ?? 'local',
    settings: { name, provider, ...options.settings },
    servers: options.servers ?? [],
  };
}

/** Environment `dev` holding `targets`: drift corrected, no pruning. */
export function desiredEnvironment(targets: DesiredTarget[]): DesiredEnvironment {
  return {
    name: 'dev',
    vars: {},
    sync: { drift: 'correct', prune: false, maxDeletions: 3, suspend: false },
    targets,
    fleet: [],
    hooks: [],
  };
}
