/** Machine records and releases for the rollout and aggregate unit tests (pure data, no hub). */
import * as crypto from 'node:crypto';
import type { MachineTargetState } from '../../../src/fleet/protocol.js';
import type { FleetRelease, MachineRecord, RolloutSpec } from '../../../src/fleet/rollout/types.js';

export const NOW = Date.UTC(2026, 11, 5, 7, 0, 0);

export function machine(
  id: string,
  labels: Record<string, string> = { team: 'platform', os: 'darwin' },
  environment = 'dev',
): MachineRecord {
  return {
    machineId: id,
    environment,
    labels,
    facts: { hostname: id, os: labels.os ?? 'linux', arch: 'arm64', user: 'dev', agentVersion: '1.0.0' },
    publicKey: 'AAAA',
    enrolledAt: NOW - 86_400_000,
    lastSeen: NOW,
    targets: {},
  };
}

export function machines(n: number): MachineRecord[] {
  return Array.from({ length: n }, (_, i) => machine(`m-${String(i).padStart(3, '0')}`));
}

/** Record that `m` reported `state` for `digest` on `target` at `at`. */
export function report(
  m: MachineRecord,
  target: string,
  digest: string,
  state: MachineTargetState,
  at = NOW,
): void {
  m.lastSeen = at;
  m.targets[target] = { target, digest, state, servers: [], drift: [], reportedAt: at };
}

export function digestOf(version: string): string {
  return crypto.createHash('sha256').update(version).digest('hex');
}

export function release(
  version: string,
  rollout: Partial<RolloutSpec> = {},
  target = 'laptops',
  environment = 'dev',
): FleetRelease {
  const digest = digestOf(version);
  return {
    environment,
    target,
    revision: `rev-${version}`,
    selector: { team: 'platform' },
    rollout: { waves: [0.05, 0.25, 1], pauseOnFailure: true, minHealthy: 0.95, ...rollout },
    bundleTarget: {
      name: target,
      settings: { name: target, provider: 'client-config', host: 'local', clients: ['cursor'] },
      servers: [],
      digest,
      release: `${environment}/v${version}`,
    },
    sync: { drift: 'correct', prune: false, suspend: false },
  };
}
