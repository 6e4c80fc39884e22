/**
 * Where in the config repo a preflight finding comes from, so a warning reads like a validation
 * error (`FILE:LINE:COL`): a secret's `ref`, the `package.registryType` or `command.path` that
 * decides which program launches a server, a target's `host`. An environment's `overrides` win
 * over the Server document, as they do when resolving. Positions are computed only when asked for
 * (the config loader parses positions lazily), so a plan without warnings pays nothing.
 */
import type { ConfigSet, LoadedDocument, SourceLocation } from '../core/config-set.js';
import type { EnvironmentResource, ServerResource } from '../core/resources.js';

export interface SourceLocator {
  /** The target's `host` (or the target itself when it has none). */
  target(environment: string, target: string): SourceLocation | undefined;
  /** A field of the server's resolved spec, e.g. `['package', 'registryType']`, `['command', 'path']`. */
  field(environment: string, server: string, path: readonly string[]): SourceLocation | undefined;
  /** The `ref` of the server's secret binding `name`. */
  secret(environment: string, server: string, name: string): SourceLocation | undefined;
}

type Path = (string | number)[];

export function sourceLocator(config: Pick<ConfigSet, 'environments' | 'servers'>): SourceLocator {
  // Indexed on first use, first document / entry of a name winning as `find` would: a plan
  // warning about every server of a big repo must not search the whole repo for each one.
  let envs: Map<string, LoadedDocument<EnvironmentResource>> | undefined;
  let servers: Map<string, LoadedDocument<ServerResource>> | undefined;
  const entries = new WeakMap<LoadedDocument<EnvironmentResource>, Map<string, number>>();
  const envDoc = (name: string) => {
    envs ??= byName(config.environments);
    return envs.get(name);
  };
  const serverDoc = (name: string) => {
    servers ??= byName(config.servers);
    return servers.get(name);
  };
  const entryOf = (env: LoadedDocument<EnvironmentResource>, server: string) => {
    let indexes = entries.get(env);
    if (!indexes) {
      indexes = new Map();
      for (const [i, s] of (env.value.spec?.servers ?? []).entries()) {
        if (typeof s?.name === 'string' && !indexes.has(s.name)) indexes.set(s.name, i);
      }
      entries.set(env, indexes);
    }
    const index = indexes.get(server);
    return index === undefined ? undefined : { index, entry: env.value.spec.servers[index]! };
  };

  return {
    target(environment, target) {
      const env = envDoc(environment);
      const index = (env?.value.spec?.targets ?? []).findIndex((t) => t?.name === target);
      if (!env || index < 0) return undefined;
      return env.locate(['spec', 'targets', index, 'host']);
    },

    field(environment, server, path) {
      const env = envDoc(environment);
      const found = env ? entryOf(env, server) : undefined;
      if (env && found && has(found.entry.overrides, path))
        return env.locate(['spec', 'servers', found.index, 'overrides', ...path]);
      return serverDoc(server)?.locate(['spec', ...path]);
    },

    secret(environment, server, name) {
      const env = envDoc(environment);
      const found = env ? entryOf(env, server) : undefined;
      const overridden = found?.entry.overrides?.secrets;
      if (env && found && Array.isArray(overridden)) {
        const at: Path = ['spec', 'servers', found.index, 'overrides', 'secrets'];
        return env.locate(bindingPath(at, overridden, name));
      }
      const doc = serverDoc(server);
      return doc?.locate(bindingPath(['spec', 'secrets'], secretsOf(doc), name));
    },
  };
}

function byName<T extends LoadedDocument<{ metadata?: { name?: unknown } } | undefined>>(
  docs: readonly T[],
): Map<string, T> {
  const map = new Map<string, T>();
  for (const doc of docs) {
    const name = doc.value?.metadata?.name;
    if (typeof name === 'string' && !map.has(name)) map.set(name, doc);
  }
  return map;
}

function secretsOf(doc: LoadedDocument<ServerResource>): unknown[] {
  const secrets = doc.value.spec?.secrets;
  return Array.isArray(secrets) ? secrets : [];
}

/** `[...at, i, 'ref']` for the binding named `name`, or `at` when there is none. */
function bindingPath(at: Path, bindings: readonly unknown[], name: string): Path {
  const index = bindings.findIndex(
    (b) => b !== null && typeof b === 'object' && (b as { name?: unknown }).name === name,
  );
  return index < 0 ? at : [...at, index, 'ref'];
}

function has(value: unknown, path: readonly string[]): boolean {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined && node !== null;
}
