/**
 * Ownership of the kubernetes provider's objects. Observe lists Deployments and Services by the
 * owner labels of one environment and target, and apply and prune touch only objects that carry
 * them, so objects people made by hand in the namespace are never seen, changed or removed. The
 * applied spec (secret *references*, never values) and its hash ride in annotations, so observe can
 * report what was applied and planning can tell a spec change from drift.
 */

export const MANAGER = 'mcp-gitops';

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  environment: 'mcp-gitops.dev/environment',
  target: 'mcp-gitops.dev/target',
} as const;

export const ANNOTATIONS = {
  spec: 'mcp-gitops.dev/spec',
  specHash: 'mcp-gitops.dev/spec-hash',
  path: 'mcp-gitops.dev/path',
} as const;

/** The labels every object of one environment's target carries (observe's and prune's filter). */
export function ownerLabels(environment: string, target: string): Record<string, string> {
  return { [LABELS.managedBy]: MANAGER, [LABELS.environment]: environment, [LABELS.target]: target };
}

/** A label selector string for `ownerLabels`. */
export function ownerSelector(environment: string, target: string): string {
  return Object.entries(ownerLabels(environment, target))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The labels of one server's objects (and the pod template's). */
export function serverLabels(environment: string, target: string, server: string): Record<string, string> {
  return { ...ownerLabels(environment, target), [LABELS.name]: server };
}

/** The Deployment's selector: fixed for the life of the object (selectors are immutable). */
export function selectorLabels(environment: string, target: string, server: string): Record<string, string> {
  return { [LABELS.name]: server, [LABELS.environment]: environment, [LABELS.target]: target };
}

/** True when `labels` mark the object as this environment's and target's. */
export function isOwned(
  labels: Record<string, string> | undefined,
  environment: string,
  target: string,
): boolean {
  if (!labels) return false;
  return Object.entries(ownerLabels(environment, target)).every(([k, v]) => labels[k] === v);
}
