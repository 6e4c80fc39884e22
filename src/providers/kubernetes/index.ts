/**
 * The `kubernetes` provider (DESIGN.md §4): streamable-http and SSE servers from an `oci` package
 * run as a Deployment and a ClusterIP Service each, in the target's namespace, applied with
 * server-side apply under field manager `mcp-gitops` and labelled as owned by the environment and
 * target. Secrets are `secretKeyRef`s to Secrets that already exist (`k8s:SECRET/KEY`); values are
 * never read or written.
 */
import type { ServerSpec, TargetSpec } from '../../core/resources.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget, ObservedTarget } from '../../core/state.js';
import type { Endpoint, Provider, ProviderContext } from '../types.js';
import { renderedComparable } from './comparable.js';
import { validateKubernetesTarget } from './kube-settings.js';
import { renderManifests, unsupportedReason } from './render-manifests.js';

// observe, apply and endpoint load @kubernetes/client-node on use: validate and plan's pure
// methods never pay for it.

export const kubernetesProvider: Provider = {
  id: 'kubernetes',
  description:
    'Runs streamable-http/SSE MCP servers from oci images on Kubernetes: a Deployment and a ClusterIP Service ' +
    "per server in the target's namespace, applied with server-side apply (field manager mcp-gitops) and " +
    'labelled as owned by the environment and target; secrets only as secretKeyRef to existing Secrets ' +
    '(k8s:SECRET/KEY). Non-root, read-only root filesystem, no privilege escalation, TCP probes and modest ' +
    'resources by default, overridable per server (spec.kubernetes). Drift is a change to a field mcp-gitops ' +
    'sets; fields other managers own are left alone. Health from the Deployment status; MCP verification ' +
    'through the Service when the reconciler runs in the cluster.',

  validateTarget: validateKubernetesTarget,

  supports(server: ServerSpec, _target: TargetSpec): boolean {
    return unsupportedReason('', server) === undefined;
  },

  render(
    server: DesiredServer,
    target: DesiredTarget,
    environment: DesiredEnvironment,
  ): Record<string, unknown> {
    return renderedComparable(renderManifests(server, target, environment));
  },

  async observe(ctx: ProviderContext): Promise<ObservedTarget> {
    const observed = { environment: ctx.environment.name, target: ctx.target.name };
    const [{ redactor }, { kubeConnection }, { observeServers }] = await Promise.all([
      import('../../log/redact.js'),
      import('./kube-connection.js'),
      import('./observe-kube.js'),
    ]);
    try {
      const conn = kubeConnection(ctx.target);
      const servers = await observeServers(ctx, conn);
      return { ...observed, reachable: true, servers, facts: { namespace: conn.namespace } };
    } catch (err) {
      const reason = redactor.redact(err instanceof Error ? err.message : String(err));
      return { ...observed, reachable: false, reason, servers: [] };
    }
  },

  async apply(ctx, change) {
    const { applyKubeChange } = await import('./apply-kube-change.js');
    return applyKubeChange(ctx, change);
  },

  async openBatch(ctx) {
    const { openKubeBatch } = await import('./kube-batch.js');
    return openKubeBatch(ctx);
  },

  async endpoint(ctx: ProviderContext, server: DesiredServer): Promise<Endpoint | undefined> {
    const { kubeEndpoint } = await import('./kube-endpoint.js');
    return kubeEndpoint(ctx, server);
  },
};
