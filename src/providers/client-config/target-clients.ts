/**
 * A client-config target's settings, read once: its known client adapters, its secrets mode, and
 * which of its clients cannot take a given server (and why).
 */
import { commonUnsupported } from '../../clients/build-entry.js';
import { getClient, isClientId } from '../../clients/registry.js';
import type { ClientAdapter, SecretsMode } from '../../clients/types.js';
import type { ServerSpec, TargetSpec } from '../../core/resources.js';

export function targetClients(target: TargetSpec): ClientAdapter[] {
  const ids = Array.isArray(target.clients) ? target.clients : [];
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
