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
  const envDoc = (name: string) => config.environments.find((d) => d.value?.metadata?.name === name);
  const serverDoc = (name: string) => config.servers.find((d) => d.value?.metadata?.name === name);
  const entryOf = (env: LoadedDocument<EnvironmentResource>, server: string) => {
    const index = (env.value.spec?.servers ?? []).findIndex((s) => s?.name === server);
    return index < 0 ? undefined : { index, entry: env.value.spec.servers[index]! };
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
