/** Config repo files for the kubernetes provider's CLI tests: servers, an environment, the repository. */

export const REPOSITORY =
  'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata:\n  name: kube\nspec:\n  branch: main\n';

export interface ServerOptions {
  transport?: string;
  secretRef?: string;
  registryType?: string;
  extra?: string;
}

export function serverYaml(name: string, port: number, o: ServerOptions = {}): string {
  const registryType = o.registryType ?? 'oci';
  return (
    `apiVersion: mcp-gitops/v1\nkind: Server\nmetadata:\n  name: ${name}\nspec:\n  package:\n` +
    `    registryType: ${registryType}\n    identifier: ghcr.io/acme/${name}\n    version: "1.0.0"\n` +
    `  transport: ${o.transport ?? 'streamable-http'}\n` +
    (o.transport === 'stdio' ? '' : `  port: ${port}\n`) +
    `  env:\n    LOG_LEVEL: info\n    PORT: "{{server.port}}"\n` +
    `  secrets:\n    - name: API_TOKEN\n      ref: ${o.secretRef ?? `k8s:${name}-creds/token`}\n` +
    (o.extra ?? '')
  );
}

export function environmentYaml(
  name: string,
  target: { kubeconfig?: string; namespace: string; extraTargets?: string },
  servers: string[],
  sync: { prune?: boolean; drift?: string; maxDeletions?: number } = {},
): string {
  return (
    `apiVersion: mcp-gitops/v1\nkind: Environment\nmetadata:\n  name: ${name}\nspec:\n` +
    `  sync:\n    drift: ${sync.drift ?? 'correct'}\n    prune: ${sync.prune ?? false}\n    maxDeletions: ${sync.maxDeletions ?? 3}\n` +
    `  targets:\n    - name: cluster\n      provider: kubernetes\n` +
    (target.kubeconfig ? `      kubeconfig: ${target.kubeconfig}\n` : '') +
    `      namespace: ${target.namespace}\n` +
    (target.extraTargets ?? '') +
    `  servers:\n${servers.map((s) => `    - name: ${s}\n`).join('')}`
  );
}
