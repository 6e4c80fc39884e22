/**
 * Where to speak MCP to a server on a kubernetes target: through its Service's cluster DNS name,
 * which only resolves inside the cluster. From outside (no KUBERNETES_SERVICE_HOST) there is no
 * endpoint, and the engine reports the server as not verifiable from here; its health then rests
 * on the Deployment's status that observe reads.
 */
import type { DesiredServer } from '../../core/state.js';
import type { Endpoint, ProviderContext } from '../types.js';
import { kubeConnection } from './kube-connection.js';
import { httpPath } from './render-manifests.js';

export function kubeEndpoint(
  ctx: ProviderContext,
  server: DesiredServer,
  env: NodeJS.ProcessEnv = process.env,
): Endpoint | undefined {
  if (!env.KUBERNETES_SERVICE_HOST || server.spec.port === undefined) return undefined;
  const namespace = kubeConnection(ctx.target, env).namespace;
  return {
    kind: 'http',
    url: `http://${server.name}.${namespace}.svc:${server.spec.port}${httpPath(server.spec)}`,
    transport: server.spec.transport === 'sse' ? 'sse' : 'streamable-http',
  };
}
