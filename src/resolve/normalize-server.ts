/**
 * The canonical form of a server spec, and its hash. The planner compares hashes, so everything
 * that does not change meaning is normalized away first: key order, defaults, empty collections,
 * the order of sets (env, headers, secrets by name, dependsOn, expectTools). "Out of sync with no
 * diff" is impossible because the diff and the hash are computed on the same normalized spec.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';
import type { HealthSpec, ServerSpec } from '../core/resources.js';

export const DEFAULT_HTTP_PATH = '/mcp';
export const DEFAULT_HEALTH_TIMEOUT_MS = 10_000;

// Written for a cold process: `validate` and `plan` normalize every server once per environment
// and target, so this runs thousands of times before the JIT has warmed up. Objects are built key
// by key (no Object.entries), and lists that are already sorted and unique are only copied.

/** Sets `key` unless `value` is undefined (the canonical key order is the order of the calls). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}

function isSortedUnique(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'string') return false;
    if (i > 0 && !((items[i - 1] as string) < item)) return false;
  }
  return true;
}

function sortedRecord(record: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!record) return undefined;
  const keys = Object.keys(record);
  if (keys.length === 0) return undefined;
  if (!isSortedUnique(keys)) keys.sort();
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = record[key]!;
  return out;
}

function nonEmpty<T>(items: T[] | undefined): T[] | undefined {
  return items && items.length > 0 ? items.slice() : undefined;
}

function sortedSet(items: string[] | undefined): string[] | undefined {
  if (!items || items.length === 0) return undefined;
  return isSortedUnique(items) ? items.slice() : [...new Set(items)].sort();
}

function bySecretName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function normalizeServerSpec(spec: ServerSpec): ServerSpec {
  const http = spec.transport === 'streamable-http' || spec.transport === 'sse';
  const out: Record<string, unknown> = {};
  put(out, 'description', spec.description);
  const pkg = spec.package;
  if (pkg) {
    const p: Record<string, unknown> = {};
    put(p, 'registryType', pkg.registryType);
    put(p, 'identifier', pkg.identifier);
    put(p, 'version', pkg.version);
    put(p, 'runtimeArguments', nonEmpty(pkg.runtimeArguments));
    put(p, 'packageArguments', nonEmpty(pkg.packageArguments));
    out.package = p;
  }
  if (spec.command) {
    const c: Record<string, unknown> = {};
    put(c, 'path', spec.command.path);
    put(c, 'args', nonEmpty(spec.command.args));
    out.command = c;
  }
  if (spec.remote) {
    const r: Record<string, unknown> = {};
    put(r, 'url', spec.remote.url);
    put(r, 'headers', sortedRecord(spec.remote.headers));
    out.remote = r;
  }
  put(out, 'transport', spec.transport);
  put(out, 'port', spec.port);
  put(out, 'path', spec.path ?? (http && !spec.remote ? DEFAULT_HTTP_PATH : undefined));
  put(out, 'env', sortedRecord(spec.env));
  const secrets = spec.secrets;
  if (secrets && secrets.length > 0) {
    const list = secrets.map((s) => ({ name: s.name, ref: s.ref }));
    if (list.length > 1) list.sort(bySecretName);
    out.secrets = list;
  }
  const health: Record<string, unknown> = {};
  put(health, 'expectTools', sortedSet(spec.health?.expectTools));
  health.timeoutMs = spec.health?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  // Only when set (or defaulted by the environment or target): the lock-dependent default is the
  // engine's (src/surface/tools-mode.ts), so adding this field changed no existing spec hash.
  put(health, 'tools', spec.health?.tools);
  // Likewise only when set: no existing spec hash moves.
  put(health, 'minProtocolVersion', spec.health?.minProtocolVersion);
  out.health = health as HealthSpec;
  put(out, 'dependsOn', sortedSet(spec.dependsOn));
  // The kubernetes provider's overrides (runAsUser, replicas, probes…): kept, or no override could
  // reach its rendered Deployment; only when set, so no existing spec hash moves.
  put(out, 'kubernetes', spec.kubernetes);
  return out as unknown as ServerSpec;
}

/** sha256 (hex) of the canonical JSON of the normalized spec. */
export function specHash(spec: ServerSpec): string {
  return hashNormalized(normalizeServerSpec(spec));
}

/** `specHash` of a spec that `normalizeServerSpec` already returned (skips normalizing again). */
export function hashNormalized(normalized: ServerSpec): string {
  return createHash('sha256').update(canonicalJson(normalized)).digest('hex');
}

export { canonicalJson };
