/**
 * Two servers cannot listen on one port of one host. Every HTTP server placed on a `process`
 * target (it listens on `port` at the target's `listenHost`) or a `container` target (its port is
 * published on the same host port at `bindAddress`) claims host:address:port; a later claim that
 * overlaps an earlier one (same host, same port, same address or either a wildcard) is an error at
 * the later server's entry in its environment (at `overrides.port` when the environment sets the
 * port). Hosts are compared by name (`local`, or the host of `ssh://user@host:port`), across
 * environments; a templated host only within its own environment. Environments in file order,
 * their servers in list order, each server's targets in the environment's order.
 */
import type { LoadedDocument } from '../core/config-set.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { EnvironmentResource, ServerResource, ServerSpec, TargetSpec } from '../core/resources.js';
import { getProvider, hasProvider } from '../providers/registry.js';
import { mergeServerSpec } from '../resolve/merge-overrides.js';
import { diagnosticAt } from './diagnostic-at.js';

const PORT_PROVIDERS: Record<string, (target: TargetSpec) => unknown> = {
  process: (t) => t.listenHost,
  container: (t) => t.bindAddress,
};
const WILDCARDS = new Set(['0.0.0.0', '::', '*']);

interface Claim {
  host: string;
  address: string;
  port: number;
  server: string;
  target: string;
  environment: string;
  /** Where the claim is made (`claimAt`): only asked for when a later claim conflicts (positions re-parse the file). */
  env: LoadedDocument<EnvironmentResource>;
  index: number;
  fromOverride: boolean;
}

/** The claim's place in its environment: `overrides.port` when the environment sets the port, else the entry's name. */
function claimPath(claim: Pick<Claim, 'index' | 'fromOverride'>): (string | number)[] {
  return claim.fromOverride
    ? ['spec', 'servers', claim.index, 'overrides', 'port']
    : ['spec', 'servers', claim.index, 'name'];
}

/** `environments/dev.yaml:22:13` */
function claimAt(claim: Claim): string {
  const { file, line, col } = claim.env.locate(claimPath(claim));
  return `${file}:${line}:${col}`;
}

function hostKey(environment: string, host: string | undefined): string {
  const raw = host ?? 'local';
  if (raw.includes('{{')) return `${environment}\0${raw}`;
  const ssh = /^ssh:\/\/[^@/]+@(\[[^\]]+\]|[^:/]+)/.exec(raw);
  return (ssh?.[1] ?? raw).toLowerCase();
}

function addressOf(target: TargetSpec): string {
  const value = PORT_PROVIDERS[target.provider]?.(target);
  const address = typeof value === 'string' && value !== '' ? value.toLowerCase() : '127.0.0.1';
  return address === 'localhost' ? '127.0.0.1' : address;
}

function overlaps(a: Claim, b: Claim): boolean {
  if (a.host !== b.host || a.port !== b.port) return false;
  return a.address === b.address || WILDCARDS.has(a.address) || WILDCARDS.has(b.address);
}

function targetsOf(
  entry: EnvironmentResource['spec']['servers'][number],
  spec: ServerSpec,
  targets: readonly TargetSpec[],
): TargetSpec[] {
  const chosen = entry.targets
    ? entry.targets.flatMap((name) => targets.filter((t) => t.name === name))
    : targets.filter((t) => hasProvider(t.provider) && getProvider(t.provider).supports(spec, t));
  return chosen.filter((t) => t.provider in PORT_PROVIDERS);
}

export function checkPorts(
  servers: readonly LoadedDocument<ServerResource>[],
  environments: readonly LoadedDocument<EnvironmentResource>[],
): Diagnostic[] {
  const byName = new Map(servers.map((doc) => [doc.name, doc]));
  // host and port → the claims made on them so far
  const claims = new Map<string, Claim[]>();
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const env of environments) {
    // A second environment of the same name is a duplicate-name error; its ports say nothing more.
    if (seen.has(env.name)) continue;
    seen.add(env.name);
    const listed = new Set<string>();
    // Host and address of each target, worked out once per environment (not once per server).
    const places = new Map<TargetSpec, { host: string; address: string }>();
    const placeOf = (target: TargetSpec) => {
      let place = places.get(target);
      if (!place) {
        place = { host: hostKey(env.name, target.host), address: addressOf(target) };
        places.set(target, place);
      }
      return place;
    };
    env.value.spec.servers.forEach((entry, i) => {
      const server = byName.get(entry.name);
      if (!server || listed.has(entry.name)) return; // missing or listed twice: reported elsewhere
      listed.add(entry.name);
      const spec = mergeServerSpec(server.value.spec, entry.overrides);
      if (spec.transport === 'stdio' || typeof spec.port !== 'number') return;
      const fromOverride = entry.overrides?.port !== undefined;
      for (const target of targetsOf(entry, spec, env.value.spec.targets)) {
        const { host, address } = placeOf(target);
        const claim: Claim = {
          host,
          address,
          port: spec.port,
          server: entry.name,
          target: target.name,
          environment: env.name,
          env,
          index: i,
          fromOverride,
        };
        const key = `${claim.host}\0${claim.port}`;
        const same = claims.get(key);
        const earlier = same?.find((c) => overlaps(c, claim));
        if (!earlier) {
          if (same) same.push(claim);
          else claims.set(key, [claim]);
          continue;
        }
        const other =
          earlier.server === claim.server && earlier.environment === claim.environment
            ? `which the same server already uses on target "${earlier.target}"`
            : `which server "${earlier.server}" already uses (${claimAt(earlier)}, environment ${earlier.environment}, target ${earlier.target})`;
        const path = claimPath(claim);
        const port = fromOverride ? env.locate(path) : server.locate(['spec', 'port']);
        out.push(
          diagnosticAt(
            env,
            path,
            `server "${claim.server}" on target "${claim.target}" uses port ${claim.port} (${port.file}:${port.line}) on host ${target.host ?? 'local'}, ${other}: give one of them another port`,
            'port-conflict',
          ),
        );
      }
    });
  }
  return out;
}
