export { deepMerge, mergeServerSpec } from './merge-overrides.js';
export {
  canonicalJson,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_HTTP_PATH,
  hashNormalized,
  normalizeServerSpec,
  specHash,
} from './normalize-server.js';
export { orderByDependencies } from './order-servers.js';
export { REPOSITORY_DEFAULTS, resolveRepository, resolveSync, SYNC_DEFAULTS } from './resolve-defaults.js';
export { type ResolveOptions, resolveDesiredState } from './resolve-desired-state.js';
export {
  type EnvironmentScope,
  mergedServerSpec,
  renderServerSpec,
  resolveEnvironmentServer,
  resolveServerSpec,
  type ServerPlacement,
  serverTemplateContext,
} from './resolve-environment-server.js';
export { DEFAULT_HOST, FLEET_HOST, isFleetHost, resolveTargetSettings } from './resolve-target.js';
export { type SupportsFn, selectTargets } from './select-targets.js';
