/**
 * A verified bundle as the engine's DesiredState (pure): one environment named as the bundle's,
 * its `sync` from the bundle, and each bundle target as a `client-config` target on `host: local`
 * (this laptop). The engine then observes, plans, applies and verifies it exactly as it would a
 * target in the config repo. `removeAll` is `agent uninstall --prune`: the same targets with no
 * servers and prune on, so every entry the agent owns is taken out and nothing the user wrote is.
 */
import type { DesiredState, DesiredTarget, ResolvedSync } from '../../core/state.js';
import { REPOSITORY_DEFAULTS, SYNC_DEFAULTS } from '../../resolve/resolve-defaults.js';
import type { FleetBundle } from '../protocol.js';

export const AGENT_PROVIDER = 'client-config';

export function desiredFromBundle(bundle: FleetBundle, options: { removeAll?: boolean } = {}): DesiredState {
  const targets: DesiredTarget[] = bundle.targets.map((t) => ({
    environment: bundle.environment,
    name: t.name,
    provider: AGENT_PROVIDER,
    host: 'local',
    // `home` is never taken from a bundle: the agent's own home is the one it manages.
    settings: { ...withoutHome(t.settings), name: t.name, provider: AGENT_PROVIDER, host: 'local' },
    servers: options.removeAll ? [] : t.servers,
  }));
  const fromHub = (bundle.sync as { maxDeletions?: unknown }).maxDeletions;
  const sync: ResolvedSync = {
    drift: bundle.sync.drift,
    prune: options.removeAll ? true : bundle.sync.prune,
    // The bundle's, when the hub sends one; otherwise the default gate. Removing everything is
    // what uninstall --prune asks for, so it is not gated.
    maxDeletions: options.removeAll
      ? Number.MAX_SAFE_INTEGER
      : typeof fromHub === 'number' && Number.isInteger(fromHub) && fromHub >= 0
        ? fromHub
        : SYNC_DEFAULTS.maxDeletions,
    suspend: options.removeAll ? false : bundle.sync.suspend,
  };
  return {
    revision: bundle.revision,
    repository: {
      name: REPOSITORY_DEFAULTS.name,
      branch: REPOSITORY_DEFAULTS.branch,
      reportsDir: REPOSITORY_DEFAULTS.reportsDir,
      tagPrefix: REPOSITORY_DEFAULTS.tagPrefix,
      author: { ...REPOSITORY_DEFAULTS.author },
    },
    environments: [{ name: bundle.environment, vars: {}, sync, targets, fleet: [], hooks: [] }],
  };
}

function withoutHome<T extends { home?: unknown }>(settings: T): Omit<T, 'home'> {
  const { home: _home, ...rest } = settings;
  return rest;
}
