/**
 * Every server pin of the resolved environments, once: a pin is one server at one written version
 * (the Server's own, or an Environment override's), with the environments and targets that run
 * it, its effective update policy, and what to ask (the package's registry, or the official MCP
 * registry when the policy names a `registryEntry`). Servers with nothing to update (a command or
 * remote server, `allow: none`) come back as skipped. Pure over the loaded config.
 */
import type { ConfigSet } from '../core/config-set.js';
import type { ServerResource } from '../core/resources.js';
import type { DesiredState } from '../core/state.js';
import { effectivePolicy } from './policy/effective-policy.js';
import { isDigest } from './policy/versions.js';
import type { SourceKind, UpdatePolicy, VersionLocation } from './types.js';
import { versionLocator } from './version-locations.js';

export interface ServerPin {
  server: string;
  environments: string[];
  targets: string[];
  kind: SourceKind;
  identifier: string;
  current: string;
  location?: VersionLocation;
  policy: UpdatePolicy;
  /** Why it is not checked; set for command and remote servers and `allow: none`. */
  skipped?: string;
}

export function collectPins(config: ConfigSet, desired: DesiredState): ServerPin[] {
  const servers = new Map(config.servers.map((d) => [d.name, d.value] as const));
  const repository = config.repository?.value;
  const policies = new Map<string, UpdatePolicy>();
  const pins = new Map<string, ServerPin>();
  const locate = versionLocator(config);
  for (const env of desired.environments) {
    for (const target of [...env.targets, ...env.fleet]) {
      for (const placed of target.servers) {
        const resource = servers.get(placed.name) as ServerResource;
        let policy = policies.get(placed.name);
        if (!policy) {
          policy = effectivePolicy(resource, repository);
          policies.set(placed.name, policy);
        }
        const pkg = placed.spec.package;
        const location = pkg ? locate(placed.name, env.name) : undefined;
        const where = location ? `${location.file}:${location.line}` : '';
        const key = `${placed.name}\0${where}\0${pkg?.registryType ?? ''}\0${pkg?.identifier ?? ''}\0${pkg?.version ?? ''}`;
        let pin = pins.get(key);
        if (!pin) {
          pin = newPin(placed.name, pkg, policy, location);
          pins.set(key, pin);
        }
        if (!pin.environments.includes(env.name)) pin.environments.push(env.name);
        pin.targets.push(`${env.name}/${target.name}`);
      }
    }
  }
  const out = [...pins.values()];
  for (const pin of out) {
    pin.environments.sort();
    pin.targets = [...new Set(pin.targets)].sort();
  }
  return out.sort(
    (a, b) =>
      cmp(a.server, b.server) ||
      cmp(a.environments[0] ?? '', b.environments[0] ?? '') ||
      cmp(a.current, b.current),
  );
}

function newPin(
  server: string,
  pkg: ServerResource['spec']['package'],
  policy: UpdatePolicy,
  location: VersionLocation | undefined,
): ServerPin {
  const base = { server, environments: [], targets: [], policy };
  if (!pkg) {
    // Nothing is pinned: kind, identifier and current are empty placeholders; `skipped` says why.
    return {
      ...base,
      kind: 'mcp',
      identifier: '',
      current: '',
      skipped: 'not a package: nothing is pinned to update',
    };
  }
  const pin: ServerPin = {
    ...base,
    kind: policy.registryEntry ? 'mcp' : pkg.registryType,
    identifier: policy.registryEntry ?? pkg.identifier,
    current: pkg.version,
    ...(location ? { location } : {}),
  };
  if (policy.allow === 'none') pin.skipped = 'updates are off for this server (allow: none)';
  else if (pin.kind === 'oci' && isDigest(pkg.version)) {
    pin.skipped = 'pinned by digest only: no tag to compare newer versions with';
  }
  return pin;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
