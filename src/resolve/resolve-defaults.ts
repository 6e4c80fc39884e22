/**
 * Defaults for the Repository, for an environment's `sync` (DESIGN.md §2), and the health
 * defaults an environment or target gives its servers.
 */
import type { HealthDefaults, RepositoryResource, ServerSpec, SyncSpec } from '../core/resources.js';
import type { DesiredState, ResolvedSync } from '../core/state.js';

export const REPOSITORY_DEFAULTS = {
  name: 'mcp-gitops',
  branch: 'main',
  reportsDir: 'reports',
  /** Rendered per environment when tagging (`{{environment.name}}` only). */
  tagPrefix: '{{environment.name}}/v',
  author: { name: 'mcp-gitops', email: 'mcp-gitops@users.noreply.local' },
} as const;

export const SYNC_DEFAULTS: ResolvedSync = {
  drift: 'correct',
  prune: false,
  maxDeletions: 3,
  suspend: false,
};

export function resolveRepository(repository: RepositoryResource | undefined): DesiredState['repository'] {
  const spec = repository?.spec;
  return {
    name: repository?.metadata.name ?? REPOSITORY_DEFAULTS.name,
    branch: spec?.branch ?? REPOSITORY_DEFAULTS.branch,
    reportsDir: spec?.reports?.dir ?? REPOSITORY_DEFAULTS.reportsDir,
    tagPrefix: spec?.tags?.prefix ?? REPOSITORY_DEFAULTS.tagPrefix,
    author: {
      name: spec?.commit?.author?.name ?? REPOSITORY_DEFAULTS.author.name,
      email: spec?.commit?.author?.email ?? REPOSITORY_DEFAULTS.author.email,
    },
  };
}

export function resolveSync(sync: SyncSpec | undefined): ResolvedSync {
  const suspend = sync?.suspend ?? SYNC_DEFAULTS.suspend;
  const reason = sync?.suspendReason?.trim();
  return {
    drift: sync?.drift ?? SYNC_DEFAULTS.drift,
    prune: sync?.prune ?? SYNC_DEFAULTS.prune,
    maxDeletions: sync?.maxDeletions ?? SYNC_DEFAULTS.maxDeletions,
    suspend,
    ...(suspend && reason ? { suspendReason: reason } : {}),
  };
}

/**
 * `health.tools` and `health.minProtocolVersion` from the target, else the environment, for a
 * (merged) spec that does not set them.
 * Precedence, lowest first: environment, target, the Server's spec.health, the entry's overrides
 * (those two are already merged into `spec`). Unset everywhere stays unset: the engine then
 * decides by whether a lock exists (warn) or not (ignore).
 */
export function withHealthDefaults(
  spec: ServerSpec,
  environment: HealthDefaults | undefined,
  target: HealthDefaults | undefined,
): ServerSpec {
  const tools = spec.health?.tools ?? target?.tools ?? environment?.tools;
  const minProtocolVersion =
    spec.health?.minProtocolVersion ?? target?.minProtocolVersion ?? environment?.minProtocolVersion;
  if (tools === spec.health?.tools && minProtocolVersion === spec.health?.minProtocolVersion) return spec;
  return {
    ...spec,
    health: {
      ...spec.health,
      ...(tools === undefined ? {} : { tools }),
      ...(minProtocolVersion === undefined ? {} : { minProtocolVersion }),
    },
  };
}
