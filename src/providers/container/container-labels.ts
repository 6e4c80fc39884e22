/**
 * Ownership of containers through labels, and their deterministic names. `observe` lists only
 * containers carrying this environment's and target's owner labels, so containers people made by
 * hand (no labels) are never seen, changed or removed. The applied spec (secret *references*,
 * never values) is kept in a label so observe can report it and rollback can restore it.
 */
import type { ServerSpec } from '../../core/resources.js';

export const LABELS = {
  managedBy: 'io.mcp-gitops.managed-by',
  environment: 'io.mcp-gitops.environment',
  target: 'io.mcp-gitops.target',
  server: 'io.mcp-gitops.server',
  specHash: 'io.mcp-gitops.spec-hash',
  spec: 'io.mcp-gitops.spec',
  image: 'io.mcp-gitops.image',
} as const;

export const MANAGER = 'mcp-gitops';

/** The labels every container of one environment's target carries (observe's filter). */
export function ownerLabels(environment: string, target: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGER, [LABELS.environment]: environment, [LABELS.target]: target };
}

export function serverLabels(
  environment: string,
  target: string,
  server: { name: string; spec: ServerSpec; specHash: string },
  image: string,
): Record<string, string> {
  return {
    ...ownerLabels(environment, target),
    [LABELS.server]: server.name,
    [LABELS.specHash]: server.specHash,
    [LABELS.image]: image,
    [LABELS.spec]: JSON.stringify(server.spec),
  };
}

/**
 * `mcp-gitops_<environment>_<target>_<server>`: names are DNS labels (no `_`), so the name is
 * unambiguous and stable across runs. `.next` / `.previous` suffixes mark a container being
 * swapped in or out during an update.
 */
export function containerName(environment: string, target: string, server: string): string {
  return `${MANAGER}_${environment}_${target}_${server}`;
}

/** The spec recorded in a container's labels, or undefined when missing or unreadable. */
export function recordedSpec(labels: Record<string, string>): ServerSpec | undefined {
  const text = labels[LABELS.spec];
  if (!text) return undefined;
  try {
    const spec = JSON.parse(text) as ServerSpec;
    return spec && typeof spec === 'object' && typeof spec.transport === 'string' ? spec : undefined;
  } catch {
    return undefined;
  }
}
