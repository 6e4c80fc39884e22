/**
 * Where to speak MCP to a server on a kubernetes target: through its Service's cluster DNS name,
 * which only resolves inside the cluster. From outside (no KUBERNETES_SERVICE_HOST) there is no
 * endpoint: a progress line says the server is not verifiable from here, and its health rests on
 * the Deployment's status that observe reads (the report's condition says "not verified yet" only
 * when that status is unknown).
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
  if (server.spec.port === undefined) return undefined;
  if (!env.KUBERNETES_SERVICE_HOST) {
    ctx.progress?.(
      server.name,
      'not verifiable from here: its Service resolves only inside the cluster (health comes from the Deployment status)',
    );
    return undefined;
  }
  const namespace = kubeConnection(ctx.target, env).namespace;
  return {
    kind: 'http',
    url: `http://${server.name}.${namespace}.svc:${server.spec.port}${httpPath(server.spec)}`,
    transport: server.spec.transport === 'sse' ? 'sse' : 'streamable-http',
  };
}
