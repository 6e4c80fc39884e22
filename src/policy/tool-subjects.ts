/**
 * Tools as policy subjects. A server's tools are known at validate time from its ToolLocks
 * (`tool-locks/<server>/<version>.yaml`): each lock is a `ToolLock` subject (its whole surface, so
 * a policy can cap `spec.surface.tools` with `maxItems`), and each locked tool a `Tool` subject
 * (`spec`: the tool's facts plus `server` and `version`, so a policy can deny destructive tools).
 * Both are environment-scoped: a lock applies to the environments that deploy its server at its
 * version. They carry the server's labels, and `server` for `match.servers`. Violations are
 * located in the lock file, at the tool's field when the assert names one.
 */
import type { LoadedDocument, SourceLocation } from '../core/config-set.js';
import type { EnvironmentResource, ServerResource, ToolLockResource } from '../core/resources.js';
import { mergedServerSpec } from '../resolve/resolve-environment-server.js';
import { lockVersion } from '../surface/lock/index.js';
import type { FieldPath, PolicySubject } from './policy-subjects.js';

/** The tool fields a Tool subject's `spec` carries from the lock, located at the tool's entry. */
const TOOL_FIELDS = new Set([
  'name',
  'title',
  'description',
  'inputSchema',
  'outputSchema',
  'annotations',
  'fingerprint',
]);

/** Environments that deploy `server` at `version` (the entry's overrides count). */
function lockEnvironments(
  server: ServerResource | undefined,
  version: string,
  environments: readonly LoadedDocument<EnvironmentResource>[],
): string[] {
  if (!server) return [];
  const out: string[] = [];
  for (const env of environments) {
    const entries = (env.value.spec.servers ?? []).filter((e) => e.name === server.metadata.name);
    if (entries.some((entry) => lockVersion(mergedServerSpec(server, entry)) === version)) {
      out.push(env.value.metadata.name);
    }
  }
  return out;
}

/** The ToolLock subject of one lock document, then one Tool subject per locked tool. */
export function lockSubjects(
  doc: LoadedDocument<ToolLockResource>,
  servers: ReadonlyMap<string, LoadedDocument<ServerResource>>,
  environments: readonly LoadedDocument<EnvironmentResource>[],
): PolicySubject[] {
  const lock = doc.value;
  const spec = lock.spec;
  const server = servers.get(spec.server)?.value;
  const labels = server?.metadata.labels ?? {};
  const envs = lockEnvironments(server, spec.version, environments);
  const out: PolicySubject[] = [
    {
      kind: 'ToolLock',
      name: lock.metadata.name,
      server: spec.server,
      labels,
      environments: envs,
      resource: lock,
      locate: (p) => doc.locate(p),
    },
  ];
  const tools = Array.isArray(spec.surface?.tools) ? spec.surface.tools : [];
  tools.forEach((tool, index) => {
    if (!tool || typeof tool.name !== 'string') return;
    const at = ['spec', 'surface', 'tools', index];
    const locate = (path: FieldPath): SourceLocation => {
      if (path[0] !== 'spec' || path.length < 2) return doc.locate(at);
      const field = String(path[1]);
      if (field === 'server' || field === 'version') return doc.locate(['spec', field]);
      if (TOOL_FIELDS.has(field)) return doc.locate([...at, ...path.slice(1)]);
      return doc.locate(at);
    };
    out.push({
      kind: 'Tool',
      name: tool.name,
      server: spec.server,
      labels,
      environments: envs,
      resource: {
        apiVersion: lock.apiVersion,
        kind: 'Tool',
        metadata: { name: tool.name, labels },
        spec: { ...tool, server: spec.server, version: spec.version },
      },
      locate,
    });
  });
  return out;
}

/**
 * A tool's MCP hints with the defaults of the MCP specification filled in: `readOnlyHint` false,
 * `destructiveHint` true unless read-only, `idempotentHint` false, `openWorldHint` true. A tool
 * that says nothing may do anything: "no destructive tools" must catch it.
 */
export function effectiveHints(annotations: unknown): Record<string, unknown> {
  const given =
    annotations && typeof annotations === 'object' ? (annotations as Record<string, unknown>) : {};
  const readOnly = given.readOnlyHint === true;
  return {
    ...given,
    readOnlyHint: readOnly,
    destructiveHint: readOnly ? false : given.destructiveHint !== false,
    idempotentHint: given.idempotentHint === true,
    openWorldHint: given.openWorldHint !== false,
  };
}
