/**
 * One server resolved for one target of one environment: overrides merged, every templated
 * string rendered with that target's context, defaults filled, normalized and hashed. Secret
 * references stay references. Used by `resolveDesiredState` and by policy evaluation.
 */
import type {
  EnvironmentServer,
  HealthDefaults,
  ServerResource,
  ServerSpec,
  TargetSpec,
} from '../core/resources.js';
import type { DesiredServer } from '../core/state.js';
import { renderPrepared } from '../templates/render-template.js';
import { type TemplateContext, templateObject, toTemplateData } from '../templates/template-context.js';
import { mapTemplateFields } from '../templates/template-fields.js';
import { mergeServerSpec } from './merge-overrides.js';
import { DEFAULT_HTTP_PATH, hashNormalized, normalizeServerSpec } from './normalize-server.js';
import { withHealthDefaults } from './resolve-defaults.js';
import { DEFAULT_HOST } from './resolve-target.js';
import { withLocation } from './with-location.js';

export interface EnvironmentScope {
  name: string;
  vars: Record<string, string>;
  /** The environment's `spec.health` defaults (`health.tools`). */
  health?: HealthDefaults;
}

/**
 * The Server spec with the environment entry's `overrides` merged (not yet rendered). Its update
 * policy (`spec.updates`) is left out: it says which versions `mcp-gitops updates` proposes, not
 * what runs, so adding or editing one changes no resolved spec, hash or plan.
 */
export function mergedServerSpec(server: ServerResource, entry?: EnvironmentServer): ServerSpec {
  return mergeServerSpec(withoutUpdatePolicy(server.spec), entry?.overrides);
}

/** One copy per spec, so the caches keyed by spec object (template fields) still hit. */
const withoutUpdates = new WeakMap<ServerSpec, ServerSpec>();

function withoutUpdatePolicy(spec: ServerSpec): ServerSpec {
  if (spec.updates === undefined) return spec;
  let rest = withoutUpdates.get(spec);
  if (!rest) {
    const { updates: _, ...copy } = spec;
    rest = copy;
    withoutUpdates.set(spec, rest);
  }
  return rest;
}

export function serverTemplateContext(
  environment: EnvironmentScope,
  target: TargetSpec,
  serverName: string,
  spec: ServerSpec,
): TemplateContext {
  return {
    vars: environment.vars,
    environment: { name: environment.name },
    target: { ...target, name: target.name, host: target.host ?? DEFAULT_HOST },
    server: serverContext(serverName, spec),
  };
}

function serverContext(serverName: string, spec: ServerSpec): TemplateContext['server'] {
  const http = spec.transport === 'streamable-http' || spec.transport === 'sse';
  return { name: serverName, port: spec.port, path: spec.path ?? (http ? DEFAULT_HTTP_PATH : undefined) };
}

/** Template data of the environment + target part, shared by all servers of that target. */
const targetData = new WeakMap<
  TargetSpec,
  { environment: EnvironmentScope; data: Record<string, unknown> }
>();

function contextData(
  environment: EnvironmentScope,
  target: TargetSpec,
  serverName: string,
  spec: ServerSpec,
): unknown {
  let shared = targetData.get(target);
  if (!shared || shared.environment !== environment) {
    const context = serverTemplateContext(environment, target, serverName, spec);
    shared = {
      environment,
      data: toTemplateData({
        vars: context.vars,
        environment: context.environment,
        target: context.target,
      }) as Record<string, unknown>,
    };
    targetData.set(target, shared);
  }
  return templateObject({ ...shared.data, server: toTemplateData(serverContext(serverName, spec)) });
}

/** Renders every templated field of a (merged) spec for one target. */
export function renderServerSpec(
  spec: ServerSpec,
  environment: EnvironmentScope,
  target: TargetSpec,
  serverName: string,
): ServerSpec {
  const data = contextData(environment, target, serverName, spec);
  return mapTemplateFields(spec, 'server', (text, path) =>
    withLocation(
      () =>
        `environment ${environment.name}, target ${target.name}, server ${serverName}, field ${path.join('.')}`,
      () => renderPrepared(text, data),
    ),
  );
}

export interface ServerPlacement {
  environment: EnvironmentScope;
  /** The target's settings, already rendered by `resolveTargetSettings`. */
  target: TargetSpec;
  server: ServerResource;
  entry?: EnvironmentServer;
}

/**
 * Resolved specs by environment entry, server document and target settings: policy evaluation
 * and `resolveDesiredState` resolve the same placements of the same ConfigSet, and each server is
 * rendered once per target (issue 16). Keyed by the entry object (it belongs to one environment
 * document, which decides the scope) and checked against the server object, so another ConfigSet
 * never hits. One record per entry, its first target inline: a nested map per entry and a key
 * string per lookup were ~1 KiB per server for as long as the config lived.
 */
interface Resolved {
  server: ServerResource;
  key: string;
  spec: ServerSpec;
  /** The entry's other targets, by key. */
  more?: Map<string, ServerSpec>;
}

const resolvedSpecs = new WeakMap<EnvironmentServer, Resolved>();

/** A placement's key (environment name and target settings), one string per settings object. */
const placementKeys = new WeakMap<TargetSpec, { environment: string; key: string }>();

function placementKey(environment: string, target: TargetSpec): string {
  let hit = placementKeys.get(target);
  if (!hit || hit.environment !== environment) {
    hit = { environment, key: `${environment}\0${JSON.stringify(target)}` };
    placementKeys.set(target, hit);
  }
  return hit.key;
}

/**
 * The normalized spec of a server on one target (what `resolveEnvironmentServer` hashes). Shared
 * between callers for the same placement: treat it as read-only.
 */
export function resolveServerSpec(args: ServerPlacement): ServerSpec {
  if (!args.entry) return renderPlacement(args);
  const key = placementKey(args.environment.name, args.target);
  let resolved = resolvedSpecs.get(args.entry);
  if (resolved && resolved.server !== args.server) resolved = undefined;
  if (resolved) {
    const hit = resolved.key === key ? resolved.spec : resolved.more?.get(key);
    if (hit) return hit;
  }
  const spec = renderPlacement(args);
  if (!resolved) resolvedSpecs.set(args.entry, { server: args.server, key, spec });
  else {
    resolved.more ??= new Map();
    resolved.more.set(key, spec);
  }
  return spec;
}

function renderPlacement(args: ServerPlacement): ServerSpec {
  const name = args.server.metadata.name;
  const merged = withHealthDefaults(
    mergedServerSpec(args.server, args.entry),
    args.environment.health,
    args.target.health,
  );
  return normalizeServerSpec(renderServerSpec(merged, args.environment, args.target, name));
}

export function resolveEnvironmentServer(args: ServerPlacement): DesiredServer {
  const spec = resolveServerSpec(args);
  return { name: args.server.metadata.name, spec, specHash: hashNormalized(spec) };
}
