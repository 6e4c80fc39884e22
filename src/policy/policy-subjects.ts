/**
 * What policies are evaluated against: every resource of the repo, Servers fully resolved per
 * environment that deploys them (overrides merged, templates rendered for each target, defaults
 * filled), each with a way back to the source position of any of its fields.
 */
import type { ConfigSet, LoadedDocument, SourceLocation } from '../core/config-set.js';
import type { EnvironmentServer, Kind, ServerResource, ServerSpec, TargetSpec } from '../core/resources.js';
import { canonicalJson, normalizeServerSpec } from '../resolve/normalize-server.js';
import {
  type EnvironmentScope,
  mergedServerSpec,
  resolveServerSpec,
} from '../resolve/resolve-environment-server.js';
import { resolveTargetSettings } from '../resolve/resolve-target.js';

export type FieldPath = (string | number)[];

export interface PolicySubject {
  kind: Kind | string;
  name: string;
  labels: Record<string, string>;
  /** Environments the resource applies to; undefined when it is not environment-scoped. */
  environments?: string[];
  resource: unknown;
  locate(path: FieldPath): SourceLocation;
}

export function policySubjects(config: ConfigSet): PolicySubject[] {
  const envNames = config.environments.map((d) => d.value.metadata.name);
  const deployed = new Set<string>();
  const subjects: PolicySubject[] = [];
  const servers = new Map(config.servers.map((d) => [d.value.metadata.name, d]));

  for (const envDoc of config.environments) {
    const env = envDoc.value;
    const scope = { name: env.metadata.name, vars: env.spec.vars ?? {} };
    const targets = (env.spec.targets ?? []).map((target) => {
      try {
        return resolveTargetSettings(target, scope);
      } catch {
        return target; // reported by checkTemplates
      }
    });
    (env.spec.servers ?? []).forEach((entry, index) => {
      const serverDoc = servers.get(entry.name);
      if (!serverDoc) return;
      deployed.add(entry.name);
      const selected = targets.filter((t) => !entry.targets || entry.targets.includes(t.name));
      for (const spec of resolvedSpecs(scope, selected, entry, serverDoc.value)) {
        subjects.push(
          serverSubject(serverDoc, spec, [envDoc.value.metadata.name], (path) => {
            const rest = path[0] === 'spec' ? path.slice(1) : undefined;
            if (rest && rest.length > 0 && definedIn(entry.overrides, rest)) {
              return envDoc.locate(['spec', 'servers', index, 'overrides', ...rest]);
            }
            return serverDoc.locate(path);
          }),
        );
      }
    });
  }

  for (const doc of config.documents) {
    const value = doc.value as {
      kind?: string;
      metadata?: { name?: string; labels?: Record<string, string> };
      spec?: { environments?: string[] };
    };
    if (!value?.kind || !value.metadata?.name) continue;
    if (value.kind === 'Server') {
      if (!deployed.has(value.metadata.name)) {
        const server = value as ServerResource;
        subjects.push(
          serverSubject(
            doc as LoadedDocument<ServerResource>,
            normalizeServerSpec(server.spec),
            undefined,
            (p) => doc.locate(p),
          ),
        );
      }
      continue;
    }
    let environments: string[] | undefined;
    if (value.kind === 'Environment') environments = [value.metadata.name];
    if (value.kind === 'Hook') environments = value.spec?.environments ?? envNames;
    subjects.push({
      kind: value.kind,
      name: value.metadata.name,
      labels: value.metadata.labels ?? {},
      environments,
      resource: value,
      locate: (p) => doc.locate(p),
    });
  }
  return subjects;
}

function serverSubject(
  doc: LoadedDocument<ServerResource>,
  spec: ServerSpec,
  environments: string[] | undefined,
  locate: (path: FieldPath) => SourceLocation,
): PolicySubject {
  const server = doc.value;
  return {
    kind: 'Server',
    name: server.metadata.name,
    labels: server.metadata.labels ?? {},
    environments,
    resource: { apiVersion: server.apiVersion, kind: server.kind, metadata: server.metadata, spec },
    locate,
  };
}

/** The distinct resolved specs of one environment entry across its targets. */
function resolvedSpecs(
  scope: EnvironmentScope,
  targets: readonly TargetSpec[],
  entry: EnvironmentServer,
  server: ServerResource,
): ServerSpec[] {
  const distinct = new Map<string, ServerSpec>();
  const keep = (spec: ServerSpec) => {
    // One target (the common case) needs no de-duplication, so no canonical JSON.
    distinct.set(targets.length > 1 ? canonicalJson(spec) : '', spec);
  };
  for (const target of targets) {
    try {
      keep(resolveServerSpec({ environment: scope, target, server, entry }));
    } catch {
      // A template that cannot render is reported by checkTemplates; judge the unrendered spec.
      keep(normalizeServerSpec(mergedServerSpec(server, entry)));
    }
  }
  if (distinct.size === 0) distinct.set('', normalizeServerSpec(mergedServerSpec(server, entry)));
  return [...distinct.values()];
}

/** True when `path` (under spec) is set by the overrides (so a violation there is the override's). */
function definedIn(overrides: unknown, path: FieldPath): boolean {
  let current: unknown = overrides;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return false;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return true;
}
