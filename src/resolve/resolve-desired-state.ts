/**
 * `resolve` of the loop (DESIGN.md §3): a valid ConfigSet → the DesiredState of every (or one)
 * environment and target. Pure: reads nothing but the ConfigSet. Errors here mean validation let
 * something through; they are McpGitopsErrors naming the environment, target and field.
 * Fleet targets (`host: fleet`) are resolved like any other but returned in `fleet`, not `targets`.
 */
import type { ConfigSet } from '../core/config-set.js';
import { McpGitopsError } from '../core/errors.js';
import type { EnvironmentResource, ServerResource } from '../core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredState, DesiredTarget } from '../core/state.js';
import { orderByDependencies } from './order-servers.js';
import { resolveRepository, resolveSync } from './resolve-defaults.js';
import { mergedServerSpec, resolveEnvironmentServer } from './resolve-environment-server.js';
import { isFleetHost, resolveTargetSettings } from './resolve-target.js';
import { type SupportsFn, selectTargets } from './select-targets.js';

export interface ResolveOptions {
  /** Only this environment. */
  environment?: string;
  /** Only this target (in every selected environment that has it). */
  target?: string;
  supports?: SupportsFn;
}

export function resolveDesiredState(config: ConfigSet, options: ResolveOptions = {}): DesiredState {
  const environments = config.environments.map((doc) => doc.value);
  if (
    options.environment !== undefined &&
    !environments.some((e) => e.metadata.name === options.environment)
  ) {
    throw new McpGitopsError('ERR_USAGE', `unknown environment "${options.environment}"`, {
      hint: `environments in this repo: ${environments.map((e) => e.metadata.name).join(', ') || '(none)'}`,
    });
  }
  const selected = environments.filter(
    (e) => options.environment === undefined || e.metadata.name === options.environment,
  );
  if (
    options.target !== undefined &&
    !selected.some((e) => e.spec.targets.some((t) => t.name === options.target))
  ) {
    throw new McpGitopsError('ERR_USAGE', `unknown target "${options.target}"`, {
      hint: `targets: ${[...new Set(selected.flatMap((e) => e.spec.targets.map((t) => t.name)))].join(', ') || '(none)'}`,
    });
  }
  const servers = new Map(config.servers.map((doc) => [doc.value.metadata.name, doc.value]));
  return {
    revision: config.revision,
    repository: resolveRepository(config.repository?.value),
    environments: selected
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
      .map((env) => resolveEnvironment(config, env, servers, options)),
  };
}

function resolveEnvironment(
  config: ConfigSet,
  env: EnvironmentResource,
  servers: ReadonlyMap<string, ServerResource>,
  options: ResolveOptions,
): DesiredEnvironment {
  const name = env.metadata.name;
  const scope = { name, vars: env.spec.vars ?? {}, ...(env.spec.health ? { health: env.spec.health } : {}) };
  const targets = env.spec.targets.filter((t) => options.target === undefined || t.name === options.target);
  const rendered = new Map(targets.map((t) => [t.name, resolveTargetSettings(t, scope)]));
  const perTarget = new Map<string, DesiredServer[]>(targets.map((t) => [t.name, []]));

  for (const entry of env.spec.servers) {
    const server = servers.get(entry.name);
    if (!server) {
      throw new McpGitopsError(
        'ERR_INVALID_CONFIG',
        `environment ${name} lists server "${entry.name}", which is not defined`,
        {
          hint: 'add a Server document with that metadata.name or remove the entry',
        },
      );
    }
    const merged = mergedServerSpec(server, entry);
    for (const target of selectTargets(name, entry, merged, env.spec.targets, options.supports)) {
      const settings = rendered.get(target.name);
      if (!settings) continue; // filtered out by options.target
      perTarget
        .get(target.name)!
        .push(resolveEnvironmentServer({ environment: scope, target: settings, server, entry }));
    }
  }

  const resolved: DesiredTarget[] = targets.map((t) => {
    const settings = rendered.get(t.name)!;
    return {
      environment: name,
      name: t.name,
      provider: t.provider,
      host: settings.host ?? 'local',
      settings,
      servers: orderByDependencies(perTarget.get(t.name)!, (s) => s.spec.dependsOn),
    };
  });

  return {
    name,
    vars: { ...scope.vars },
    sync: resolveSync(env.spec.sync),
    // Fleet targets are applied by enrolled agents, never by this reconciler's engine.
    targets: resolved.filter((t) => !isFleetHost(t.host)),
    fleet: resolved.filter((t) => isFleetHost(t.host)),
    hooks: config.hooks
      .map((doc) => doc.value)
      .filter((hook) => !hook.spec.environments || hook.spec.environments.includes(name)),
  };
}
