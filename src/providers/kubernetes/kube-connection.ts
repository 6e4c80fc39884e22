/**
 * The API server connection of one kubernetes target for a run, and the provider's error wording.
 * One connection per target object (the engine keeps one per run), so 200 servers' changes share
 * one kubeconfig load and the client's discovery cache. Failures are named as the API call that
 * failed — verb, resource, namespace — with the API server's bounded first line
 * (`kubeErrorMessage`), never a raw body; a 403 says which RBAC rule is missing.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { DesiredTarget } from '../../core/state.js';
import { connectKube, type KubeConnection, kubeErrorMessage, kubeStatus } from '../../kube/connect.js';
import { kubernetesSettings } from './kube-settings.js';

const connections = new WeakMap<DesiredTarget, KubeConnection>();

export function kubeConnection(target: DesiredTarget, env: NodeJS.ProcessEnv = process.env): KubeConnection {
  const known = connections.get(target);
  if (known) return known;
  const connection = connectKube({ ...kubernetesSettings(target.settings), env });
  connections.set(target, connection);
  return connection;
}

/** An error of one API call, as a sentence a user can act on. */
export function kubeCallError(
  verb: string,
  resource: string,
  namespace: string,
  err: unknown,
): McpGitopsError {
  const status = kubeStatus(err);
  const what = `${verb} ${resource} in namespace ${namespace}`;
  if (status === 403) {
    return new McpGitopsError('ERR_PROVIDER', `not allowed to ${what}: ${kubeErrorMessage(err)}`, {
      hint: `grant the reconciler's identity "${verb}" on ${resource} in namespace ${namespace} (a Role and RoleBinding)`,
    });
  }
  return new McpGitopsError('ERR_PROVIDER', `could not ${what}: ${kubeErrorMessage(err)}`);
}
