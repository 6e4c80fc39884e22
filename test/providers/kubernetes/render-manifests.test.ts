/** The kubernetes provider's pure rendering: labels, env and secretKeyRef, safe defaults, overrides. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderManifests, unsupportedReason } from '../../../src/providers/kubernetes/render-manifests.js';
import { desiredEnvironment, desiredServer, desiredTarget, httpSpec } from './fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: the test reads nested manifest fields
type Obj = Record<string, any>;

function render(spec = httpSpec()) {
  const target = desiredTarget([desiredServer(spec)]);
  const out = renderManifests(desiredServer(spec), target, desiredEnvironment(target));
  return { deployment: out.deployment as Obj, service: out.service as Obj };
}

describe('renderManifests', () => {
  test('a Deployment and a ClusterIP Service named after the server, with owner labels', () => {
    const { deployment, service } = render();
    const labels = {
      'app.kubernetes.io/managed-by': 'mcp-gitops',
      'app.kubernetes.io/name': 'search',
      'mcp-gitops.dev/environment': 'prod',
      'mcp-gitops.dev/target': 'cluster',
    };
    assert.equal(deployment.kind, 'Deployment');
    assert.equal(deployment.metadata.name, 'search');
    assert.deepEqual(deployment.metadata.labels, labels);
    assert.deepEqual(deployment.spec.template.metadata.labels, labels);
    assert.equal(deployment.metadata.annotations['mcp-gitops.dev/spec-hash'], 'sha256:abc');
    assert.equal(service.kind, 'Service');
    assert.equal(service.spec.type, 'ClusterIP');
    assert.deepEqual(service.spec.ports, [{ name: 'mcp', port: 8080, targetPort: 'mcp', protocol: 'TCP' }]);
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    for (const [k, v] of Object.entries(service.spec.selector))
      assert.equal(labels[k as keyof typeof labels], v);
  });

  test('env by value, secrets only as secretKeyRef, the image and arguments', () => {
    const c = render().deployment.spec.template.spec.containers[0];
    assert.equal(c.image, 'ghcr.io/acme/search:1.4.2');
    assert.deepEqual(c.args, ['serve']);
    assert.deepEqual(c.env, [
      { name: 'A_FIRST', value: '1' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'search-creds', key: 'token' } } },
    ]);
    assert.deepEqual(c.ports, [{ name: 'mcp', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('safe defaults: non-root, read-only root with /tmp, no escalation, modest resources, TCP probes', () => {
    const { deployment } = render();
    const pod = deployment.spec.template.spec;
    const c = pod.containers[0];
    assert.equal(deployment.spec.replicas, 1);
    assert.deepEqual(c.securityContext, {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    assert.deepEqual(c.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
    assert.deepEqual(pod.volumes, [{ name: 'tmp', emptyDir: {} }]);
    assert.equal(pod.automountServiceAccountToken, false);
    assert.deepEqual(c.resources, { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    assert.deepEqual(c.readinessProbe.tcpSocket, { port: 8080 });
    assert.deepEqual(c.livenessProbe.tcpSocket, { port: 8080 });
  });

  test('overrides: replicas, resources, security context, probes, service type', () => {
    const { deployment, service } = render(
      httpSpec({
        kubernetes: {
          replicas: 3,
          resources: { limits: { cpu: '1', memory: '1Gi' } },
          securityContext: { runAsUser: 10001, readOnlyRootFilesystem: false },
          readinessProbe: { httpPath: '/healthz', periodSeconds: 5 },
          livenessProbe: false,
          serviceType: 'NodePort',
        },
      }),
    );
    const c = deployment.spec.template.spec.containers[0];
    assert.equal(deployment.spec.replicas, 3);
    assert.deepEqual(c.resources.limits, { cpu: '1', memory: '1Gi' });
    assert.deepEqual(c.resources.requests, { cpu: '50m', memory: '64Mi' });
    assert.equal(c.securityContext.runAsUser, 10001);
    assert.equal(c.securityContext.readOnlyRootFilesystem, false);
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.deepEqual(c.readinessProbe.httpGet, { path: '/healthz', port: 8080, scheme: 'HTTP' });
    assert.equal(c.readinessProbe.periodSeconds, 5);
    assert.equal(c.livenessProbe, undefined);
    assert.equal(service.spec.type, 'NodePort');
  });

  test('stdio, npm and non-k8s secrets are refused, naming the target; no secret path is echoed', () => {
    assert.match(
      unsupportedReason('x', httpSpec({ transport: 'stdio' }), 'cluster') ?? '',
      /stdio.*"cluster"/,
    );
    assert.match(
      unsupportedReason(
        'x',
        httpSpec({ package: { registryType: 'npm', identifier: 'x', version: '1' } }),
        'c',
      ) ?? '',
      /no container image/,
    );
    assert.throws(
      () => render(httpSpec({ secrets: [{ name: 'T', ref: 'env:HIDDEN_NAME' }] })),
      (err: Error) => /only k8s:SECRET\/KEY/.test(err.message) && !err.message.includes('HIDDEN_NAME'),
    );
  });
});
