/**
 * deploy/kubernetes against the real API server (test/helpers/kube-apiserver.ts): the admin
 * server-side applies every manifest, so the API server validates them (schemas, the restricted
 * Pod Security Standard on the Deployment's pod); then, with a token of the manifests' own
 * ServiceAccount, the API server's RBAC decides what mcp-gitops may do: manage Deployments and
 * Services in mcp-servers and its Lease in mcp-gitops, and nothing else: no Secret, no other
 * namespace, nothing cluster-wide. Real requests where they are harmless; a SelfSubjectAccessReview
 * (the API server's own answer) where a real request would destroy something.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { connectKube, type KubeConnection, kubeStatus } from '../../src/kube/connect.js';
import { type KubeApiServer, startKubeApiServer } from '../helpers/kube-apiserver.js';
import { deployManifests, manifest, withoutFile } from './deploy-manifests.js';
import { renderQuickstartServer } from './render-quickstart.js';
import { strictApply } from './strict-apply.js';

const SERVERS = 'mcp-servers';
const OWN = 'mcp-gitops';
const MANAGER = 'mcp-gitops';
/** A secret value that must never come back through the ServiceAccount. */
const CANARY = 'canary-3f9c1e7a-never-readable';

let api: KubeApiServer;
let admin: KubeConnection;
let sa: KubeConnection;
const all = deployManifests();

/** The HTTP status a request ends with (200 for any success); a network error throws. */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (err) {
    const status = kubeStatus(err);
    if (status === undefined) throw err;
    assert.ok(
      !String((err as { body?: unknown }).body ?? '').includes(CANARY),
      'an error carried the canary',
    );
    return status;
  }
}

/** Server-side apply, strictly validated, that must succeed (200 updated, 201 created). */
async function applied(conn: KubeConnection, object: k8s.KubernetesObject, manager: string): Promise<void> {
  const answer = await strictApply(conn, object, manager);
  assert.ok([200, 201].includes(answer.status), `${object.kind} ${object.metadata?.name}: ${answer.message}`);
}

/**
 * The quickstart's kubernetes server as the provider renders it for `namespace`: the objects the
 * reconciler applies, a secretKeyRef (to a Secret it may not read) included.
 */
function rendered(
  namespace: string,
  replicas?: number,
): { deployment: k8s.KubernetesObject; service: k8s.KubernetesObject } {
  const { deployment, service } = renderQuickstartServer(
    'everything-kubernetes',
    namespace,
    replicas === undefined ? undefined : `{ kubernetes: { replicas: ${replicas} } }`,
  );
  const put = (o: Record<string, unknown>) => {
    const copy = structuredClone(o) as k8s.KubernetesObject;
    copy.metadata = { ...copy.metadata, namespace };
    return copy;
  };
  return { deployment: put(deployment), service: put(service) };
}

const SERVER = 'everything-kubernetes';

async function allowed(
  conn: KubeConnection,
  attributes: k8s.V1ResourceAttributes,
): Promise<{ allowed: boolean; reason?: string }> {
  const authz = conn.config.makeApiClient(k8s.AuthorizationV1Api);
  const review = await authz.createSelfSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: attributes },
    },
  });
  return { allowed: review.status?.allowed === true, reason: review.status?.reason };
}

before(async () => {
  api = await startKubeApiServer();
  admin = connectKube({ kubeconfig: api.adminKubeconfig });
  // In kustomization order: the namespaces come first.
  // Strict: a field the API server does not know is refused, not dropped.
  for (const m of all) {
    const answer = await strictApply(admin, withoutFile(m), 'deploy-test-admin');
    assert.ok(
      [200, 201].includes(answer.status),
      `${m.file}: ${m.kind} ${m.metadata?.name}: ${answer.message}`,
    );
  }
  // The Secrets the Deployment and a server reference, made by the admin with a canary value.
  for (const [namespace, name, key] of [
    [OWN, 'mcp-gitops-webhook', 'secret'],
    [OWN, 'mcp-gitops-git', 'token'],
    [SERVERS, 'mcp-everything', 'token'],
  ] as const) {
    await admin.core.createNamespacedSecret({
      namespace,
      body: { metadata: { name }, stringData: { [key]: CANARY } },
    });
  }
  const token = await api.serviceAccountToken(OWN, 'mcp-gitops');
  sa = connectKube({ kubeconfig: await api.kubeconfigFor(token, { namespace: SERVERS }) });
});

after(async () => {
  await api?.stop();
});

describe('the admin applies deploy/kubernetes', () => {
  test('every manifest is stored as written, under the applying field manager', async () => {
    for (const m of all) {
      const live = await admin.objects.read(
        withoutFile(m) as k8s.KubernetesObject & { metadata: { name: string } },
      );
      assert.ok(
        live.metadata?.managedFields?.some(
          (f) => f.manager === 'deploy-test-admin' && f.operation === 'Apply',
        ),
        `${m.kind} ${m.metadata?.name}`,
      );
    }
    const deployment = await admin.apps.readNamespacedDeployment({ name: 'mcp-gitops', namespace: OWN });
    assert.equal(deployment.spec?.replicas, 2);
    assert.equal(
      deployment.spec?.template.spec?.containers[0]?.securityContext?.readOnlyRootFilesystem,
      true,
    );
  });

  test('a field the schema does not know is refused, so the apply above really validated', async () => {
    const bad = structuredClone(withoutFile(manifest(all, 'Deployment', 'mcp-gitops'))) as k8s.V1Deployment;
    const container = bad.spec?.template.spec?.containers[0] as unknown as {
      securityContext: Record<string, unknown>;
    };
    container.securityContext.readOnlyRootFilesytem = true;
    const answer = await strictApply(admin, bad, 'deploy-test-admin');
    // Server-side apply cannot build its typed patch (this API server answers 500, not 4xx).
    assert.ok(answer.status >= 400, `status ${answer.status}`);
    assert.match(answer.message, /readOnlyRootFilesytem: field not declared in schema/);
  });

  test("the Deployment's pod passes the restricted Pod Security Standard of its namespace", async () => {
    const deployment = withoutFile(manifest(all, 'Deployment', 'mcp-gitops')) as k8s.V1Deployment;
    const template = deployment.spec?.template as k8s.V1PodTemplateSpec;
    const pod = (spec: k8s.V1PodSpec): k8s.V1Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'psa-check', namespace: OWN, labels: template.metadata?.labels },
      spec,
    });
    assert.equal(
      await statusOf(
        admin.core.createNamespacedPod({
          namespace: OWN,
          body: pod(template.spec as k8s.V1PodSpec),
          dryRun: 'All',
        }),
      ),
      200,
    );
    // Control: without the security context the same namespace refuses it (PodSecurity is on).
    const bare = structuredClone(template.spec as k8s.V1PodSpec);
    delete bare.securityContext;
    for (const c of bare.containers) delete c.securityContext;
    assert.equal(
      await statusOf(admin.core.createNamespacedPod({ namespace: OWN, body: pod(bare), dryRun: 'All' })),
      403,
    );
  });
});

describe("the manifests' ServiceAccount, as the API server's RBAC decides", () => {
  test('the token is the ServiceAccount, not the admin', async () => {
    const auth = sa.config.makeApiClient(k8s.AuthenticationV1Api);
    const review = await auth.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    assert.equal(review.status?.userInfo?.username, 'system:serviceaccount:mcp-gitops:mcp-gitops');
  });

  test('can create, patch, read, scale-read, list and delete Deployments and Services in mcp-servers', async () => {
    const first = rendered(SERVERS);
    assert.deepEqual(
      (first.deployment as k8s.V1Deployment).spec?.template.spec?.containers[0]?.env?.find(
        (e) => e.name === 'API_TOKEN',
      )?.valueFrom,
      { secretKeyRef: { name: 'mcp-everything', key: 'token' } },
    );
    await applied(sa, first.deployment, MANAGER);
    await applied(sa, first.service, MANAGER);
    // A second apply with a changed field (what a reconcile of an edited Server does).
    await applied(sa, rendered(SERVERS, 2).deployment, MANAGER);
    const scale = await sa.apps.readNamespacedDeploymentScale({ name: SERVER, namespace: SERVERS });
    assert.equal(scale.spec?.replicas, 2);
    const merge = { metadata: { annotations: { 'example.com/touched': 'yes' } } };
    await sa.core.patchNamespacedService(
      { name: SERVER, namespace: SERVERS, body: merge },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const listed = await sa.apps.listNamespacedDeployment({
      namespace: SERVERS,
      labelSelector: 'app.kubernetes.io/managed-by=mcp-gitops',
    });
    assert.deepEqual(
      listed.items.map((d) => d.metadata?.name),
      [SERVER],
    );
    const service = await sa.core.readNamespacedService({ name: SERVER, namespace: SERVERS });
    assert.equal(service.metadata?.annotations?.['example.com/touched'], 'yes');
    await sa.apps.deleteNamespacedDeployment({ name: SERVER, namespace: SERVERS });
    await sa.core.deleteNamespacedService({ name: SERVER, namespace: SERVERS });
    assert.equal(
      await statusOf(admin.apps.readNamespacedDeployment({ name: SERVER, namespace: SERVERS })),
      404,
    );
  });

  test("the provider's rendered pod passes the restricted Pod Security Standard of mcp-servers", async () => {
    const template = (rendered(SERVERS).deployment as k8s.V1Deployment).spec
      ?.template as k8s.V1PodTemplateSpec;
    const pod: k8s.V1Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'psa-check', namespace: SERVERS, labels: template.metadata?.labels },
      spec: template.spec,
    };
    assert.equal(
      await statusOf(admin.core.createNamespacedPod({ namespace: SERVERS, body: pod, dryRun: 'All' })),
      200,
    );
  });

  test('can create, get and update its Lease in mcp-gitops, and record an Event there', async () => {
    const now = () => new k8s.V1MicroTime(Date.now());
    await sa.coordination.createNamespacedLease({
      namespace: OWN,
      body: {
        metadata: { name: 'mcp-gitops-leader' },
        spec: { holderIdentity: 'replica-a', leaseDurationSeconds: 15, acquireTime: now(), renewTime: now() },
      },
    });
    const lease = await sa.coordination.readNamespacedLease({ name: 'mcp-gitops-leader', namespace: OWN });
    lease.spec = { ...lease.spec, holderIdentity: 'replica-b', renewTime: now() };
    const updated = await sa.coordination.replaceNamespacedLease({
      name: 'mcp-gitops-leader',
      namespace: OWN,
      body: lease,
    });
    assert.equal(updated.spec?.holderIdentity, 'replica-b');
    await sa.core.createNamespacedEvent({
      namespace: OWN,
      body: {
        metadata: { generateName: 'mcp-gitops-leader.' },
        involvedObject: {
          kind: 'Lease',
          namespace: OWN,
          name: 'mcp-gitops-leader',
          apiVersion: 'coordination.k8s.io/v1',
        },
        reason: 'LeaderElection',
        message: 'replica-b became leader',
        type: 'Normal',
      },
    });
  });

  test('cannot get or list Secrets, in mcp-servers, in mcp-gitops, or across namespaces (403)', async () => {
    assert.equal(
      await statusOf(sa.core.readNamespacedSecret({ name: 'mcp-everything', namespace: SERVERS })),
      403,
    );
    assert.equal(await statusOf(sa.core.listNamespacedSecret({ namespace: SERVERS })), 403);
    assert.equal(
      await statusOf(sa.core.readNamespacedSecret({ name: 'mcp-gitops-git', namespace: OWN })),
      403,
    );
    assert.equal(await statusOf(sa.core.listNamespacedSecret({ namespace: OWN })), 403);
    assert.equal(await statusOf(sa.core.listSecretForAllNamespaces()), 403);
    assert.equal(
      (await allowed(sa, { verb: 'watch', resource: 'secrets', namespace: SERVERS })).allowed,
      false,
    );
  });

  test('cannot create a Deployment in another namespace, not even its own (403)', async () => {
    await admin.core.createNamespace({ body: { metadata: { name: 'other-team' } } });
    for (const namespace of ['other-team', 'default', OWN]) {
      const objects = rendered(namespace);
      assert.equal((await strictApply(sa, objects.deployment, MANAGER)).status, 403, namespace);
      assert.equal((await strictApply(sa, objects.service, MANAGER)).status, 403, namespace);
    }
    assert.equal(await statusOf(sa.apps.listNamespacedDeployment({ namespace: 'other-team' })), 403);
  });

  test('cannot list namespaces or nodes (403)', async () => {
    assert.equal(await statusOf(sa.core.listNamespace()), 403);
    assert.equal(await statusOf(sa.core.listNode()), 403);
  });

  test('destructive requests, asked of the API server without making them: all denied', async () => {
    const denied: k8s.V1ResourceAttributes[] = [
      { verb: 'delete', resource: 'namespaces', name: SERVERS },
      { verb: 'delete', group: 'apps', resource: 'deployments', namespace: OWN, name: 'mcp-gitops' },
      { verb: 'update', group: 'apps', resource: 'deployments', namespace: OWN, name: 'mcp-gitops' },
      { verb: 'delete', group: 'coordination.k8s.io', resource: 'leases', namespace: OWN },
      { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: SERVERS },
      { verb: 'create', resource: 'pods', subresource: 'exec', namespace: SERVERS },
      { verb: 'create', resource: 'pods', namespace: SERVERS },
      { verb: 'delete', resource: 'secrets', namespace: SERVERS },
      { verb: 'patch', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: SERVERS },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: SERVERS },
      { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
      {
        verb: 'create',
        resource: 'serviceaccounts',
        subresource: 'token',
        namespace: OWN,
        name: 'mcp-gitops',
      },
      { verb: 'impersonate', resource: 'users' },
      { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'other-team' },
    ];
    for (const attributes of denied) {
      assert.equal((await allowed(sa, attributes)).allowed, false, JSON.stringify(attributes));
    }
    // The same question for what it may do gets a yes, so the noes above are answers, not errors.
    const ok = await allowed(sa, {
      verb: 'delete',
      group: 'apps',
      resource: 'deployments',
      namespace: SERVERS,
    });
    assert.equal(ok.allowed, true);
  });
});
