/**
 * What `observe` reports must never carry a secret value into a plan, report or log. For every
 * secret binding of a server, the value found in a client entry's environment is kept only if it
 * is exactly the reference mcp-gitops would write; a materialized value that still matches the
 * secret (or cannot be compared, its secret being unresolvable now) becomes a fixed placeholder,
 * and anything else a placeholder that says it differs.
 */
import { MATERIALIZED_SECRET } from '../../clients/build-entry.js';
import { isRecord } from '../../clients/json-document.js';
import type { ClientEntry } from '../../clients/types.js';
import type { SecretBinding } from '../../core/resources.js';

export const DIFFERING_SECRET = '[hidden value that differs from the desired secret]';

/** Whether maskSecrets would change `entry` (without resolving anything): most entries hold exactly the references. */
export function masks(
  entry: ClientEntry,
  expected: ClientEntry | undefined,
  bindings: readonly SecretBinding[],
): boolean {
  if (bindings.length === 0 || !isRecord(entry.env)) return false;
  const want = isRecord(expected?.env) ? expected.env : {};
  return bindings.some((b) => {
    const found = (entry.env as Record<string, unknown>)[b.name];
    return found !== undefined && found !== want[b.name];
  });
}

export async function maskSecrets(
  entry: ClientEntry,
  expected: ClientEntry | undefined,
  bindings: readonly SecretBinding[],
  resolve: (binding: SecretBinding) => Promise<string | undefined>,
): Promise<ClientEntry> {
  if (bindings.length === 0 || !isRecord(entry.env)) return entry;
  const want = isRecord(expected?.env) ? expected.env : {};
  // Copied only when a value is masked: an entry holding exactly the references is the common case.
  let env: Record<string, unknown> | undefined;
  for (const binding of bindings) {
    const found = (env ?? entry.env)[binding.name];
    if (found === undefined || found === want[binding.name]) continue;
    env ??= { ...entry.env };
    if (want[binding.name] === MATERIALIZED_SECRET && typeof found === 'string') {
      // A secret that cannot be resolved now (e.g. plan without it) cannot be compared: assume in sync.
      const value = await resolve(binding);
      env[binding.name] = value === undefined || value === found ? MATERIALIZED_SECRET : DIFFERING_SECRET;
    } else {
      env[binding.name] = DIFFERING_SECRET;
    }
  }
  return env ? { ...entry, env } : entry;
}
