/**
 * The `kubernetes` provider's target settings:
 *
 * - `kubeconfig`: a kubeconfig file on this machine (`~/` allowed). Default: `$KUBECONFIG`, then
 *   `~/.kube/config`, then the pod's ServiceAccount when the reconciler runs in a cluster.
 * - `context`: a context of that kubeconfig (default its current context).
 * - `namespace`: where the servers' Deployments and Services live (default the context's
 *   namespace, in a pod its own, else `default`).
 *
 * The API server is reached from this machine, so `host` must be `local` (the default).
 */
import type { TargetSpec } from '../../core/resources.js';

const KNOWN_KEYS = ['kubeconfig', 'context', 'namespace'] as const;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const OTHER_PROVIDERS_KEYS = [
  'baseDir',
  'listenHost',
  'supervisor',
  'clients',
  'projectDir',
  'materializeSecrets',
  'socket',
  'bindAddress',
  'network',
  'identityFile',
  'knownHosts',
  'acceptNewHostKey',
  'multiplex',
];

export interface KubernetesSettings {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export function kubernetesSettings(target: TargetSpec): KubernetesSettings {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const kubeconfig = str(target.kubeconfig);
  const context = str(target.context);
  const namespace = str(target.namespace);
  return {
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(context ? { context } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

/** Pure: messages for settings the provider could not use. */
export function validateKubernetesTarget(target: TargetSpec): string[] {
  const errors: string[] = [];
  const host = target.host ?? 'local';
  if (host !== 'local') {
    errors.push(
      `host "${host}" is not supported by the kubernetes provider: it reaches the API server from this machine (host: local) with the kubeconfig or in-cluster credentials`,
    );
  }
  for (const key of ['kubeconfig', 'context'] as const) {
    const value = target[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      errors.push(`${key} must be a non-empty string`);
    }
  }
  const namespace = target.namespace;
  if (
    namespace !== undefined &&
    (typeof namespace !== 'string' || namespace.length > 63 || !DNS_LABEL.test(namespace))
  ) {
    errors.push(
      `namespace ${JSON.stringify(namespace)} must be a namespace name (lowercase letters, digits and '-', at most 63 characters)`,
    );
  }
  for (const key of OTHER_PROVIDERS_KEYS) {
    if (target[key] !== undefined) {
      errors.push(
        `${key} is not a kubernetes setting (the kubernetes provider reads ${KNOWN_KEYS.join(', ')})`,
      );
    }
  }
  return errors;
}
