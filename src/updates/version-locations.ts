/**
 * Where a server's pinned version is written, so a bump edits exactly that YAML scalar: the
 * Environment entry's `overrides.package.version` when that environment pins its own, else the
 * Server's `spec.package.version`. Positions come from the loaded documents (their `locate`
 * parses the file again with positions only when asked), once per (environment, server).
 */
import type { ConfigSet, LoadedDocument } from '../core/config-set.js';
import type { EnvironmentResource, ServerResource } from '../core/resources.js';
import type { VersionLocation } from './types.js';

export type VersionLocator = (serverName: string, environmentName: string) => VersionLocation | undefined;

export function versionLocator(config: ConfigSet): VersionLocator {
  const servers = new Map(config.servers.map((d) => [d.name, d as LoadedDocument<ServerResource>] as const));
  const entries = new Map<string, Map<string, number>>();
  const environments = new Map<string, LoadedDocument<EnvironmentResource>>();
  for (const doc of config.environments as LoadedDocument<EnvironmentResource>[]) {
    environments.set(doc.name, doc);
    const byServer = new Map<string, number>();
    doc.value.spec.servers.forEach((entry, i) => {
      if (!byServer.has(entry.name)) byServer.set(entry.name, i);
    });
    entries.set(doc.name, byServer);
  }
  const found = new Map<string, VersionLocation | undefined>();
  return (serverName, environmentName) => {
    const key = `${environmentName}\0${serverName}`;
    if (found.has(key)) return found.get(key);
    const location = locate(serverName, environmentName);
    found.set(key, location);
    return location;
  };

  function locate(serverName: string, environmentName: string): VersionLocation | undefined {
    const env = environments.get(environmentName);
    const index = entries.get(environmentName)?.get(serverName);
    if (
      env &&
      index !== undefined &&
      env.value.spec.servers[index]?.overrides?.package?.version !== undefined
    ) {
      return at(env, ['spec', 'servers', index, 'overrides', 'package', 'version']);
    }
    const server = servers.get(serverName);
    if (!server || server.value.spec.package?.version === undefined) return undefined;
    return at(server, ['spec', 'package', 'version']);
  }
}

function at(doc: LoadedDocument, path: (string | number)[]): VersionLocation {
  const found = doc.locate(path, 'value');
  return { file: found.file, line: found.line, path };
}
