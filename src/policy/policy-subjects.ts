/**
 * What policies are evaluated against: every resource of the repo, Servers fully resolved per
 * environment that deploys them (overrides merged, templates rendered for each target, defaults
 * filled), ToolLocks and their tools (tool-subjects.ts), each with a way back to the source
 * position of any of its fields.
 */
import type { ConfigSet, LoadedDocument, SourceLocation } from '../core/config-set.js';
import type {
  EnvironmentResource,
  EnvironmentServer,
  Kind,
  ServerResource,
  ServerSpec,
  TargetSpec,
  ToolLockResource,
} from '../core/resources.js';
import { canonicalJson, normalizeServerSpec } from '../resolve/normalize-server.js';
import {
  type EnvironmentScope,
  mergedServerSpec,
  resolveServerSpec,
} from '../resolve/resolve-environment-server.js';
import { resolveTargetSettings } from '../resolve/resolve-target.js';
import { lockSubjects } from './tool-subjects.js';

export type FieldPath = (string | number)[];

export interface PolicySubject {
  kind: Kind | string;
  name: string;
  labels: Record<string, string>;
  /** Environments the resource applies to; undefined when it is not environment-scoped. */
  environments?: string[];
  /** The server a Server, ToolLock or Tool subject belongs to (`match.servers`). */
  server?: string;
  resource: unknown;
  locate(path: FieldPath): SourceLocation;
}

/** One environment entry that deploys a server, with the environment's targets it selects. */
export interface ServerPlacement {
  envDoc: LoadedDocument<EnvironmentResource>;
  entry: EnvironmentServer;
  /** The entry's index in the environment's `servers`. */
  index: number;
  scope: EnvironmentScope;
  /** The selected targets, their settings rendered. */
  targets: TargetSpec[];
}

/** A Server and every environment entry that deploys it. */
export interface ServerGroup {
  doc: LoadedDocument<ServerResource>;
  placements: ServerPlacement[];
}

export interface PolicySubjects {
  /** Deployed servers, resolved on demand (`placementSubjects`, `writtenSubject`). */
  servers: ServerGroup[];
  /** Every other resource, and servers no environment deploys (judged as written). */
  others: PolicySubject[];
  /**
   * Servers as written, normalized once for every policy of this evaluation and dropped with it:
   * kept in a module-wide cache they lived as long as the config, ~5 MiB of a 10,000-server plan.
   */
  written: WrittenSpecs;
}

/** Normalized specs as written, by Server resource (`writtenSubject`). */
export type WrittenSpecs = Map<ServerResource, ServerSpec>;

export function policySubjects(config: ConfigSet): PolicySubjects {
  const envNames = config.environments.map((d) => d.value.metadata.name);
  const groups = new Map<string, ServerGroup>();
  const others: PolicySubject[] = [];
  const written: WrittenSpecs = new Map();
  const servers = new Map(config.servers.map((d) => [d.value.metadata.name, d]));

  for (const envDoc of config.environments) {
    const env = envDoc.value;
    const scope = {
      name: env.metadata.name,
      vars: env.spec.vars ?? {},
      ...(env.spec.health ? { health: env.spec.health } : {}),
    };
    const targets = (env.spec.targets ?? []).map((target) => {
      try {
        return resolveTargetSettings(target, scope);
      } catch {
        return target; // reported by checkTemplates
      }
    });
    (env.spec.servers ?? []).forEach((entry, index) => {
      const doc = servers.get(entry.name);
      if (!doc) return;
      let group = groups.get(entry.name);
      if (!group) {
        group = { doc, placements: [] };
        groups.set(entry.name, group);
      }
      const selected = targets.filter((t) => !entry.targets || entry.targets.includes(t.name));
      group.placements.push({ envDoc, entry, index, scope, targets: selected });
    });
  }

  for (const doc of config.documents) {
    const value = doc.value as {
      kind?: string;
      metadata?: { name?: string; labels?: Record<string, string> };
      spec?: { environments?: string[] };
    };
    if (!value?.kind || !value.metadata?.name) continue;
    if (value.kind === 'ToolLock') {
      others.push(...lockSubjects(doc as LoadedDocument<ToolLockResource>, servers, config.environments));
      continue;
    }
    if (value.kind === 'Server') {
      if (!groups.has(value.metadata.name)) {
        others.push(writtenSubject(written, doc as LoadedDocument<ServerResource>, undefined));
      }
      continue;
    }
    let environments: string[] | undefined;
    if (value.kind === 'Environment') environments = [value.metadata.name];
    if (value.kind === 'Hook') environments = value.spec?.environments ?? envNames;
    others.push({
      kind: value.kind,
      name: value.metadata.name,
      labels: value.metadata.labels ?? {},
      environments,
      resource: value,
      locate: (p) => doc.locate(p),
    });
  }
  return { servers: [...groups.values()], others, written };
}

/** The server as written (no overrides, templates unrendered), defaults filled. */
export function writtenSubject(
  written: WrittenSpecs,
  doc: LoadedDocument<ServerResource>,
  environments: string[] | undefined,
): PolicySubject {
  const server = doc.value;
  let spec = written.get(server);
  if (!spec) {
    spec = normalizeServerSpec(server.spec);
    written.set(server, spec);
  }
  return serverSubject(doc, spec, environments, (p) => doc.locate(p));
}

const resolved = new WeakMap<ServerPlacement, PolicySubject[]>();

/** The server fully resolved for one environment entry: one subject per distinct target rendering. */
export function placementSubjects(group: ServerGroup, placement: ServerPlacement): PolicySubject[] {
  const hit = resolved.get(placement);
  if (hit) return hit;
  const { doc } = group;
  const { envDoc, entry, index } = placement;
  const locate = (path: FieldPath) => {
    const rest = path[0] === 'spec' ? path.slice(1) : undefined;
    if (rest && rest.length > 0 && definedIn(entry.overrides, rest)) {
      return envDoc.locate(['spec', 'servers', index, 'overrides', ...rest]);
    }
    return doc.locate(path);
  };
  const subjects = resolvedSpecs(placement.scope, placement.targets, entry, doc.value).map((spec) =>
    serverSubject(doc, spec, [envDoc.value.metadata.name], locate),
  );
  resolved.set(placement, subjects);
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
    server: server.metadata.name,
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
