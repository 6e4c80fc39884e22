/**
 * One server resolved for one target of one environment: overrides merged, every templated
 * string rendered with that target's context, defaults filled, normalized and hashed. Secret
 * references stay references. Used by `resolveDesiredState` and by policy evaluation.
 */
import type { EnvironmentServer, ServerResource, ServerSpec, TargetSpec } from '../core/resources.js';
import type { DesiredServer } from '../core/state.js';
import { prepareContext, renderPrepared } from '../templates/render-template.js';
import type { TemplateContext } from '../templates/template-context.js';
import { mapTemplateFields } from '../templates/template-fields.js';
import { mergeServerSpec } from './merge-overrides.js';
import { DEFAULT_HTTP_PATH, normalizeServerSpec, specHash } from './normalize-server.js';
import { DEFAULT_HOST } from './resolve-target.js';
import { withLocation } from './with-location.js';

export interface EnvironmentScope {
  name: string;
  vars: Record<string, string>;
}

/** The Server spec with the environment entry's `overrides` merged (not yet rendered). */
export function mergedServerSpec(server: ServerResource, entry?: EnvironmentServer): ServerSpec {
  return mergeServerSpec(server.spec, entry?.overrides);
}

export function serverTemplateContext(
  environment: EnvironmentScope,
  target: TargetSpec,
  serverName: string,
  spec: ServerSpec,
): TemplateContext {
  const http = spec.transport === 'streamable-http' || spec.transport === 'sse';
  return {
    vars: environment.vars,
    environment: { name: environment.name },
    target: { ...target, name: target.name, host: target.host ?? DEFAULT_HOST },
    server: { name: serverName, port: spec.port, path: spec.path ?? (http ? DEFAULT_HTTP_PATH : undefined) },
  };
}

/** Renders every templated field of a (merged) spec for one target. */
export function renderServerSpec(
  spec: ServerSpec,
  environment: EnvironmentScope,
  target: TargetSpec,
  serverName: string,
): ServerSpec {
  const data = prepareContext(serverTemplateContext(environment, target, serverName, spec));
  return mapTemplateFields(spec, 'server', (text, path) =>
    withLocation(
      `environment ${environment.name}, target ${target.name}, server ${serverName}, field ${path.join('.')}`,
      () => renderPrepared(text, data),
    ),
  );
}

export function resolveEnvironmentServer(args: {
  environment: EnvironmentScope;
  /** The target's settings, already rendered by `resolveTargetSettings`. */
  target: TargetSpec;
  server: ServerResource;
  entry?: EnvironmentServer;
}): DesiredServer {
  const name = args.server.metadata.name;
  const merged = mergedServerSpec(args.server, args.entry);
  const spec = normalizeServerSpec(renderServerSpec(merged, args.environment, args.target, name));
  return { name, spec, specHash: specHash(spec) };
}
