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

function sortedRecord(record: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!record) return undefined;
  const keys = Object.keys(record).sort();
  if (keys.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = record[key]!;
  return out;
}

function nonEmpty<T>(items: T[] | undefined): T[] | undefined {
  return items && items.length > 0 ? [...items] : undefined;
}

function sortedSet(items: string[] | undefined): string[] | undefined {
  return nonEmpty(items ? [...new Set(items)].sort() : undefined);
}

/** Drops keys whose value is undefined, keeping insertion order (the canonical order below). */
function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out as T;
}

export function normalizeServerSpec(spec: ServerSpec): ServerSpec {
  const http = spec.transport === 'streamable-http' || spec.transport === 'sse';
  const health: HealthSpec = compact({
    expectTools: sortedSet(spec.health?.expectTools),
    timeoutMs: spec.health?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS,
  });
  return compact<ServerSpec>({
    description: spec.description,
    package: spec.package
      ? compact({
          registryType: spec.package.registryType,
          identifier: spec.package.identifier,
          version: spec.package.version,
          runtimeArguments: nonEmpty(spec.package.runtimeArguments),
          packageArguments: nonEmpty(spec.package.packageArguments),
        })
      : undefined,
    command: spec.command
      ? compact({ path: spec.command.path, args: nonEmpty(spec.command.args) })
      : undefined,
    remote: spec.remote
      ? compact({ url: spec.remote.url, headers: sortedRecord(spec.remote.headers) })
      : undefined,
    transport: spec.transport,
    port: spec.port,
    path: spec.path ?? (http && !spec.remote ? DEFAULT_HTTP_PATH : undefined),
    env: sortedRecord(spec.env),
    secrets: nonEmpty(
      spec.secrets
        ?.map((s) => ({ name: s.name, ref: s.ref }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ),
    health,
    dependsOn: sortedSet(spec.dependsOn),
  });
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
