/**
 * Where the kubernetes provider verifies a server: the Service's cluster DNS name in a cluster,
 * nothing from outside (with a progress line that says so); and an API server that does not
 * answer. Needs no API server: the kubeconfig only names one, on a port nothing listens on.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { kubernetesProvider } from '../../../src/providers/kubernetes/index.js';
import { kubeEndpoint } from '../../../src/providers/kubernetes/kube-endpoint.js';
import type { ProviderContext } from '../../../src/providers/types.js';
import { desiredEnvironment, desiredServer, desiredTarget, httpSpec, targetSpec } from './fixtures.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-kube-endpoint-'));
const kubeconfig = path.join(dir, 'config');
fs.writeFileSync(
  kubeconfig,
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
    'users: [{name: u, user: {token: t}}]',
    'contexts: [{name: x, context: {cluster: c, user: u, namespace: from-context}}]',
    'current-context: x',
  ].join('\n'),
);

function context(settings = targetSpec({ kubeconfig })) {
  const target = desiredTarget([desiredServer()], settings);
  const lines: string[] = [];
  const ctx = {
    environment: desiredEnvironment(target),
    target,
    progress: (server: string, text: string) => lines.push(`${server}: ${text}`),
  } as unknown as ProviderContext;
  return { ctx, lines };
}

describe('kubeEndpoint', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('in a cluster: the Service DNS name, port and path, in the target namespace (else the context’s)', () => {
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1' };
    const a = context(targetSpec({ kubeconfig, namespace: 'mcp' }));
    assert.deepEqual(kubeEndpoint(a.ctx, desiredServer(), env), {
      kind: 'http',
      url: 'http://search.mcp.svc:8080/mcp',
      transport: 'streamable-http',
    });
    const b = context();
    const sse = desiredServer(httpSpec({ transport: 'sse' }));
    assert.deepEqual(kubeEndpoint(b.ctx, sse, env), {
      kind: 'http',
      url: 'http://search.from-context.svc:8080/sse',
      transport: 'sse',
    });
  });

  test('outside a cluster: no endpoint, and a progress line says why', () => {
    const { ctx, lines } = context();
    assert.equal(kubeEndpoint(ctx, desiredServer(), {}), undefined);
    assert.match(lines.join('\n'), /search: not verifiable from here/);
  });

  test('an API server that does not answer: the target is unreachable, the reason names the call', async () => {
    const { ctx } = context(targetSpec({ kubeconfig, namespace: 'mcp' }));
    const observed = await kubernetesProvider.observe({ ...ctx, redact: () => undefined });
    assert.equal(observed.reachable, false);
    assert.match(observed.reason ?? '', /^could not list (deployments|services) in namespace mcp: /);
    assert.doesNotMatch(observed.reason ?? '', /\n/);
  });
});
