/**
 * Server-side apply of an object's own JSON (with `fieldValidation=Strict`). The client library's
 * KubernetesObjectApi serializes a known kind through its typed model first, which silently drops
 * a field it does not know: a typo such as `readOnlyRootFilesytem` would vanish before the API
 * server saw it. Sent as written, the API server decides whether every field exists (server-side
 * apply refuses one its schema does not declare).
 */
import * as https from 'node:https';
import type { KubeConnection } from '../../src/kube/connect.js';

/** The REST path of each kind deploy/kubernetes and the provider use. */
const RESOURCES: Record<string, { base: string; plural: string; namespaced: boolean }> = {
  Namespace: { base: '/api/v1', plural: 'namespaces', namespaced: false },
  ServiceAccount: { base: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  Service: { base: '/api/v1', plural: 'services', namespaced: true },
  Deployment: { base: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  Role: { base: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { base: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  PodDisruptionBudget: { base: '/apis/policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
};

export interface ApplyAnswer {
  status: number;
  /** The API server's `message` (first 300 characters) when it refused, else ''. */
  message: string;
}

interface Applied {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string };
}

export async function strictApply(
  conn: KubeConnection,
  object: Applied,
  fieldManager: string,
): Promise<ApplyAnswer> {
  const resource = RESOURCES[object.kind ?? ''];
  const name = object.metadata?.name;
  const namespace = object.metadata?.namespace;
  if (!resource || !name || (resource.namespaced && !namespace)) {
    throw new Error(
      `strictApply: no path for ${object.kind} ${name ?? '(no name)'} in ${namespace ?? '(no namespace)'}`,
    );
  }
  const scope = resource.namespaced ? `/namespaces/${namespace}` : '';
  const query = new URLSearchParams({ fieldManager, force: 'true', fieldValidation: 'Strict' });
  const url = new URL(`${conn.server}${resource.base}${scope}/${resource.plural}/${name}?${query}`);
  const options: https.RequestOptions = {
    method: 'PATCH',
    hostname: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    headers: { 'Content-Type': 'application/apply-patch+yaml', Accept: 'application/json' },
    timeout: 30_000,
  };
  await conn.config.applyToHTTPSOptions(options);
  const body = JSON.stringify(object);
  return new Promise<ApplyAnswer>((resolve, reject) => {
    const req = https.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        let message = '';
        if (status >= 300) {
          try {
            message = String(
              (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: unknown }).message ?? '',
            );
          } catch {
            message = Buffer.concat(chunks).toString('utf8');
          }
        }
        resolve({ status, message: message.slice(0, 300) });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`strictApply: ${url.pathname} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
