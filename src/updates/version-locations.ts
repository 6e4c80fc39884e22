/**
 * Where a server's pinned version is written, so a bump edits exactly that YAML scalar: the
 * Environment entry's `overrides.package.version` when that environment pins its own, else the
 * Server's `spec.package.version`. Positions come from the loaded documents (their `locate`
 * parses the file again with positions only when asked).
 */
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import type { EnvironmentResource, ServerResource } from '../core/resources.js';
import type { VersionLocation } from './types.js';

const SERVER_VERSION = ['spec', 'package', 'version'] as const;

export function versionLocation(
  config: ConfigSet,
  serverName: string,
  environmentName: string,
): VersionLocation | undefined {
  const env = config.environments.find((d) => d.name === environmentName) as
    | LoadedDocument<EnvironmentResource>
    | undefined;
  const index = env?.value.spec.servers.findIndex((entry) => entry.name === serverName) ?? -1;
  const entry = index >= 0 ? env?.value.spec.servers[index] : undefined;
  if (env && entry?.overrides?.package?.version !== undefined) {
    return at(env, ['spec', 'servers', index, 'overrides', 'package', 'version']);
  }
  const server = config.servers.find((d) => d.name === serverName) as
    | LoadedDocument<ServerResource>
    | undefined;
  if (!server || server.value.spec.package?.version === undefined) return undefined;
  return at(server, [...SERVER_VERSION]);
}

function at(doc: LoadedDocument, path: (string | number)[]): VersionLocation {
  const found = doc.locate(path, 'value');
  return { file: found.file, line: found.line, path };
}
