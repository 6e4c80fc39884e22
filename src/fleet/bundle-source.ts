/**
 * The hub's real BundleSource (src/fleet/hub/hub-context.ts): a machine's signed bundle holds, for
 * every fleet target of its environment whose selector matches it, the release the rollout gives
 * it (the new digest in the open wave, the stable one outside it). Bundles are cached per machine
 * and re-signed only when what it must run changes, so a check-in costs a lookup, not an Ed25519
 * signature, and `issuedAt` (outside the ETag anyway) stays put while nothing changes.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { SYNC_DEFAULTS } from '../resolve/resolve-defaults.js';
import type { BundleTarget, FleetBundle, SignedBundle } from './protocol.js';
import { machinesOf } from './rollout/fleet-machines.js';
import type { Rollouts } from './rollout/rollouts.js';
import type { FleetRelease, MachineRecord } from './rollout/types.js';
import { signBundle } from './signing.js';

export interface ReleaseBundleSourceOptions {
  rollouts: Rollouts;
  hubPrivateKeyPem: string;
  /** Every machine the hub knows (the hub store's `all()`): wave membership depends on the fleet. */
  machines: () => Iterable<MachineRecord>;
  now?: () => number;
}

export interface ReleaseBundleSource {
  bundleFor(machine: MachineRecord): SignedBundle | undefined;
}

export function createReleaseBundleSource(options: ReleaseBundleSourceOptions): ReleaseBundleSource {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { key: string; signed: SignedBundle }>();
  return {
    bundleFor(machine) {
      const releases = options.rollouts
        .currentReleases(machine.environment)
        .filter((r) => machinesOf(r, [machine]).length === 1);
      if (releases.length === 0) {
        cache.delete(machine.machineId);
        return undefined;
      }
      const all = [...options.machines()];
      const targets: BundleTarget[] = [];
      // One environment's releases come from one deployed revision: its revision and sync are theirs.
      const first = releases[0] as FleetRelease;
      for (const current of releases) {
        const digest = options.rollouts.digestFor(
          machine,
          current.environment,
          current.target,
          machinesOf(current, all),
        );
        const given =
          digest === undefined
            ? undefined
            : options.rollouts.releaseOf(current.environment, current.target, digest);
        if (!given) continue;
        targets.push(given.bundleTarget);
      }
      const sync = first.sync ?? {
        drift: SYNC_DEFAULTS.drift,
        prune: SYNC_DEFAULTS.prune,
        suspend: SYNC_DEFAULTS.suspend,
      };
      const body: Omit<FleetBundle, 'issuedAt'> = {
        schema: 'mcp-gitops/fleet-bundle/v1',
        machineId: machine.machineId,
        environment: machine.environment,
        revision: first.revision,
        sync,
        targets,
      };
      // A target's content is its digest; its release tag, the revision and sync can change apart.
      const key = canonicalJson({
        revision: body.revision,
        sync,
        targets: targets.map((t) => [t.name, t.digest, t.release]),
      });
      const hit = cache.get(machine.machineId);
      if (hit?.key === key) return hit.signed;
      const signed = signBundle(
        { ...body, issuedAt: new Date(now()).toISOString() },
        options.hubPrivateKeyPem,
      );
      cache.set(machine.machineId, { key, signed });
      return signed;
    },
  };
}
