/**
 * A client-config target's settings, read once: its known client adapters, its secrets mode, and
 * which of its clients cannot take a given server (and why).
 *
 * `clients: [auto]` means every client detected on the target's host (src/clients/detect.ts). It
 * is resolved when the target is observed (`resolveAutoClients`), before render and apply; until
 * then an `auto` target has no clients, so nothing is ever written to an undetected client.
 */
import { commonUnsupported } from '../../clients/build-entry.js';
import { getClient, isClientId } from '../../clients/registry.js';
import type { ClientAdapter, ClientId, SecretsMode } from '../../clients/types.js';
import type { ServerSpec, TargetSpec } from '../../core/resources.js';
import type { Host } from '../../hosts/types.js';

export const AUTO = 'auto';

/** What `auto` resolved to, per target settings object (one desired state per run). */
const resolved = new WeakMap<object, ClientId[]>();

export function isAuto(target: Pick<TargetSpec, 'clients'>): boolean {
  return Array.isArray(target.clients) && target.clients.length === 1 && target.clients[0] === AUTO;
}

/** Detect the clients installed on the host for an `auto` target; returns them (undefined otherwise). */
export async function resolveAutoClients(
  target: TargetSpec,
  host: Pick<Host, 'exists' | 'home' | 'kind'>,
): Promise<ClientId[] | undefined> {
  if (!isAuto(target)) return undefined;
  const { detectedClientIds } = await import('../../clients/detect.js');
  const ids = (await detectedClientIds(host)).filter(
    (id) => getClient(id).scopes.includes('user') || target.projectDir,
  );
  resolved.set(target, ids);
  return ids;
}

export function targetClients(target: TargetSpec): ClientAdapter[] {
  const ids = isAuto(target)
    ? (resolved.get(target) ?? [])
    : Array.isArray(target.clients)
      ? target.clients
      : [];
  return [...new Set(ids)]
    .filter((id) => typeof id === 'string' && isClientId(id))
    .map((id) => getClient(id));
}

export function secretsMode(target: TargetSpec): SecretsMode {
  return target.materializeSecrets === true ? 'materialize' : 'reference';
}

/** One line per client that cannot register the server on this target. */
export function unsupportedReasons(server: ServerSpec, target: TargetSpec): string[] {
  const common = commonUnsupported(server);
  if (common) return [common];
  const mode = secretsMode(target);
  const reasons: string[] = [];
  for (const client of targetClients(target)) {
    const reason = client.unsupported(server, mode);
    if (reason) reasons.push(`${client.id}: ${reason}`);
  }
  return reasons;
}
