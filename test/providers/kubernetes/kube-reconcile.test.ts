/**
 * The whole loop through the real CLI on a real git config repo with a `kubernetes` target on a
 * real kube-apiserver + etcd (test/helpers/kube-apiserver.ts), as a least-privilege
 * ServiceAccount (a Role allowing only Deployments and Services in one namespace): reconcile
 * creates each server's Deployment and Service with owner labels, env, secretKeyRef and the safe
 * security context; a rerun changes nothing (no commit, no tag); `kubectl scale` (a scale by
 * another field manager) and an edited env value are drift that `detect` only reports and `correct`
 * repairs; fields another manager adds are not drift and survive a correction; prune removes only
 * owned objects, as does removing the environment; an unlabelled object of a server's name is
 * never taken over; a spec change is applied field by field (a dropped env variable goes, others'
 * stay); a canary secret value in a real Secret appears in no object, report or output; the
 * ServiceAccount can read no Secret and nothing in another namespace (RBAC, by the API server), and
 * an identity without rights leaves the target Stalled naming what to grant.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { connectKube, type KubeConnection, kubeStatus } from '../../../src/kube/connect.js';
import { cliRunner } from '../../helpers/cli.js';
import { type KubeApiServer, startKubeApiServer } from '../../helpers/kube-apiserver.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { environmentYaml, REPOSITORY, serverYaml } from './kube-repo.js';

const NS = 'mcp';
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-kube-e2e-'));
const cli = cliRunner({
  MCP_GITOPS_HOME: path.join(base, 'home'),
  MCP_GITOPS_LOG_LEVEL: 'debug',
  KUBERNETES_SERVICE_HOST: '',
});

// biome-ignore lint/suspicious/noExplicitAny: tests read nested object fields
type Obj = any;

describe('reconcile a kubernetes target end to end (real CLI, git and kube-apiserver)', {
  timeout: 600_000,
}, () => {
  let api: KubeApiServer;
  let admin: KubeConnection;
  let saKubeconfig = '';
  let repo: TempRepo;
  const head = () => repo.git('rev-parse', 'HEAD');
  const reconcile = () => cli.run(['reconcile', '--repo', repo.dir]);
  const deployment = (name: string): Promise<Obj> =>
    admin.apps.readNamespacedDeployment({ name, namespace: NS });
  const service = (name: string): Promise<Obj> => admin.core.readNamespacedService({ name, namespace: NS });
  const env = (name: string, sync: Parameters<typeof environmentYaml>[3]) =>
    environmentYaml('prod', { kubeconfig: saKubeconfig, namespace: NS }, name.split(','), sync);

  before(async () => {
    api = await startKubeApiServer({ dir: base });
    admin = connectKube({ kubeconfig: api.adminKubeconfig });
    await admin.core.createNamespace({ body: { metadata: { name: NS } } });
    await admin.core.createNamespace({ body: { metadata: { name: 'elsewhere' } } });
    await admin.core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'search-creds' }, stringData: { token: CANARY } },
    });
    // An object made by hand, with no labels, in the same namespace: never seen, changed or removed.
    await admin.apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'handmade' },
        spec: {
          selector: { matchLabels: { app: 'handmade' } },
          template: {
            metadata: { labels: { app: 'handmade' } },
            spec: { containers: [{ name: 'c', image: 'busybox' }] },
          },
        },
      },
    });
    const rules = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
    await admin.objects.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'mcp-gitops', namespace: NS },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: rules },
        { apiGroups: [''], resources: ['services'], verbs: rules },
      ],
    } as k8s.KubernetesObject);
    await admin.objects.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'mcp-gitops', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'mcp-gitops' },
      subjects: [{ kind: 'ServiceAccount', name: 'reconciler', namespace: NS }],
    } as k8s.KubernetesObject);
    saKubeconfig = await api.kubeconfigFor(await api.serviceAccountToken(NS, 'reconciler'), {
      namespace: NS,
    });

    repo = createTempRepo('mcp-gitops-kube-repo-');
    repo.write('mcp-gitops.yaml', REPOSITORY);
    repo.write('servers/search.yaml', serverYaml('search', 8080));
    repo.write('servers/notes.yaml', serverYaml('notes', 8081, { secretRef: 'k8s:search-creds/token' }));
    repo.write('environments/prod.yaml', env('search,notes', {}));
    repo.commitAll('two servers on a cluster');
  });

  after(async () => {
    await api?.stop();
    repo?.cleanup();
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('the ServiceAccount can read no Secret and nothing in another namespace', async () => {
    const sa = connectKube({ kubeconfig: saKubeconfig });
    await assert.rejects(
      sa.core.readNamespacedSecret({ name: 'search-creds', namespace: NS }),
      (e) => kubeStatus(e) === 403,
    );
    await assert.rejects(
      sa.apps.listNamespacedDeployment({ namespace: 'elsewhere' }),
      (e) => kubeStatus(e) === 403,
    );
  });

  test('first reconcile: Deployment and Service with labels, env, secretKeyRef and security context', async () => {
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /prod\/cluster: create search: applied/);
    assert.match(res.stdout, /Tagged prod\/v1\.0\.0/);
    assert.equal(repo.git('status', '--porcelain'), '');
    const d = await deployment('search');
    assert.deepEqual(d.metadata.labels, {
      'app.kubernetes.io/managed-by': 'mcp-gitops',
      'app.kubernetes.io/name': 'search',
      'mcp-gitops.dev/environment': 'prod',
      'mcp-gitops.dev/target': 'cluster',
    });
    const c = d.spec.template.spec.containers[0];
    assert.equal(c.image, 'ghcr.io/acme/search:1.0.0');
    assert.deepEqual(
      c.env.map((e: Obj) => [
        e.name,
        e.value ?? e.valueFrom?.secretKeyRef?.name,
        e.valueFrom?.secretKeyRef?.key,
      ]),
      [
        ['LOG_LEVEL', 'info', undefined],
        ['PORT', '8080', undefined],
        ['API_TOKEN', 'search-creds', 'token'],
      ],
    );
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
    const managers = (d.metadata.managedFields ?? []).map((m: Obj) => `${m.manager}/${m.operation}`);
    assert.deepEqual(managers, ['mcp-gitops/Apply']);
    const s = await service('search');
    assert.equal(s.spec.type, 'ClusterIP');
    assert.equal(s.spec.ports[0].port, 8080);
    assert.equal(s.metadata.labels['app.kubernetes.io/managed-by'], 'mcp-gitops');
    const report = JSON.parse(fs.readFileSync(path.join(repo.dir, 'reports/prod/cluster.json'), 'utf8'));
    assert.deepEqual(report.inventory.map((e: Obj) => e.server).sort(), ['notes', 'search']);
  });

  test('second reconcile: nothing planned, no commit, no tag', async () => {
    const before = head();
    const plan = await cli.run(['plan', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /^No changes\./);
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.equal(head(), before, `${res.stdout}\n${repo.git('show', '--format=%s', 'HEAD')}`);
    assert.equal(repo.git('tag', '-l'), 'prod/v1.0.0');
  });

  test('health comes from the Deployment status (patched as the deployment controller would)', async () => {
    const d = await deployment('search');
    await admin.apps.patchNamespacedDeploymentStatus(
      {
        name: 'search',
        namespace: NS,
        body: {
          status: {
            observedGeneration: d.metadata.generation,
            replicas: 1,
            readyReplicas: 1,
            availableReplicas: 1,
            updatedReplicas: 1,
            conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(repo.dir, 'reports/prod/cluster.json'), 'utf8'));
    const health = Object.fromEntries(report.inventory.map((e: Obj) => [e.server, e.health]));
    assert.deepEqual(health, { notes: 'unknown', search: 'healthy' });
    const before = head();
    assert.equal((await reconcile()).code, 0);
    assert.equal(head(), before, 'unchanged health commits nothing');
  });

  test('fields another manager adds are not drift', async () => {
    await admin.objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: 'search',
          namespace: NS,
          labels: { team: 'search' },
          annotations: { 'example.com/owner': 'ops' },
        },
        spec: {
          template: { spec: { containers: [{ name: 'mcp', env: [{ name: 'EXTRA', value: 'theirs' }] }] } },
        },
      } as k8s.KubernetesObject,
      undefined,
      undefined,
      'ops-tool',
      false,
      k8s.PatchStrategy.ServerSideApply,
    );
    const env = (await deployment('search')).spec.template.spec.containers[0].env.map((e: Obj) => e.name);
    assert.ok(env.includes('EXTRA'), 'the other manager’s env variable is there');
    const drift = await cli.run(['drift', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(drift.code, 0, drift.stdout + drift.stderr);
  });

  test('kubectl scale and an edited env value: detect only reports, correct repairs and keeps others’ fields', async () => {
    await admin.apps.patchNamespacedDeploymentScale(
      { name: 'search', namespace: NS, body: { spec: { replicas: 3 } }, fieldManager: 'kubectl' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await admin.apps.patchNamespacedDeployment(
      {
        name: 'notes',
        namespace: NS,
        fieldManager: 'kubectl-edit',
        body: [{ op: 'replace', path: '/spec/template/spec/containers/0/env/0/value', value: 'debug' }],
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    repo.write('environments/prod.yaml', env('search,notes', { drift: 'detect' }));
    repo.commitAll('detect drift only');
    const detect = await reconcile();
    assert.match(detect.stdout, /update search: skipped — drift not corrected \(sync\.drift: detect\)/);
    assert.match(detect.stdout, /update notes: skipped — drift not corrected/);
    assert.equal((await deployment('search')).spec.replicas, 3, 'detect changes nothing');
    assert.equal((await deployment('notes')).spec.template.spec.containers[0].env[0].value, 'debug');
    const drift = await cli.run(['drift', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(drift.code, 2, drift.stdout + drift.stderr);
    assert.match(drift.stdout, /env\.LOG_LEVEL/);
    assert.match(drift.stdout, /replicas/);

    repo.write('environments/prod.yaml', env('search,notes', { drift: 'correct' }));
    repo.commitAll('correct drift');
    const correct = await reconcile();
    assert.equal(correct.code, 0, correct.stdout + correct.stderr);
    const d = await deployment('search');
    assert.equal(d.spec.replicas, 1, 'replicas taken back');
    assert.equal((await deployment('notes')).spec.template.spec.containers[0].env[0].value, 'info');
    assert.ok(
      d.spec.template.spec.containers[0].env.some((e: Obj) => e.name === 'EXTRA'),
      'their field kept',
    );
    assert.equal(d.metadata.labels.team, 'search');
    const after = await cli.run(['drift', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(after.code, 0, after.stdout + after.stderr);
  });

  test('a spec change is applied: the new image, and an env variable dropped from the repo is gone', async () => {
    repo.write(
      'servers/search.yaml',
      serverYaml('search', 8080)
        .replace('version: "1.0.0"', 'version: "1.1.0"')
        .replace('    LOG_LEVEL: info\n', '')
        .concat('  kubernetes:\n    replicas: 2\n    resources:\n      limits:\n        memory: 1024Mi\n'),
    );
    repo.commitAll('search 1.1.0 without LOG_LEVEL, two replicas');
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /prod\/cluster: update search: applied/);
    const d = await deployment('search');
    const c = d.spec.template.spec.containers[0];
    assert.equal(c.image, 'ghcr.io/acme/search:1.1.0');
    assert.deepEqual(c.env.map((e: Obj) => e.name).sort(), ['API_TOKEN', 'EXTRA', 'PORT']);
    assert.equal(d.spec.replicas, 2);
    assert.equal(c.resources.limits.memory, '1Gi', 'the API server stores the canonical spelling');
    const plan = await cli.run(['plan', '--repo', repo.dir, '--detailed-exitcode']);
    assert.equal(plan.code, 0, `1024Mi stored as 1Gi is not drift: ${plan.stdout}${plan.stderr}`);
  });

  test('prune removes only owned objects: the hand-made Deployment survives', async () => {
    repo.write('environments/prod.yaml', env('search', { prune: true }));
    repo.commitAll('drop notes, prune');
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /prod\/cluster: delete notes: applied/);
    await assert.rejects(deployment('notes'), (e) => kubeStatus(e) === 404);
    await assert.rejects(service('notes'), (e) => kubeStatus(e) === 404);
    assert.equal((await deployment('handmade')).metadata.name, 'handmade');
    assert.equal((await deployment('search')).metadata.name, 'search');
  });

  test('a Deployment of the same name made by hand is never taken over: the change fails and says why', async () => {
    repo.write('environments/prod.yaml', env('search,handmade', { prune: true }));
    repo.write(
      'servers/handmade.yaml',
      serverYaml('handmade', 8090, { secretRef: 'k8s:search-creds/token' }),
    );
    repo.commitAll('a server named like the hand-made Deployment');
    const res = await reconcile();
    assert.equal(res.code, 1, res.stdout + res.stderr);
    assert.match(
      res.stdout,
      /create handmade: FAILED.*a deployment named handmade already exists in namespace mcp and is not managed/,
    );
    const d = await deployment('handmade');
    assert.equal(d.spec.template.spec.containers[0].image, 'busybox');
    assert.equal(d.metadata.labels, undefined);
    repo.write('environments/prod.yaml', env('search', { prune: true }));
    repo.commitAll('drop it again');
    assert.equal((await reconcile()).code, 0);
  });

  test('without RBAC the target is Stalled with the verb, resource and namespace to grant', async () => {
    const nobody = await api.kubeconfigFor(await api.serviceAccountToken(NS, 'nobody'), { namespace: NS });
    repo.write(
      'environments/prod.yaml',
      environmentYaml('prod', { kubeconfig: nobody, namespace: NS }, ['search'], { prune: true }),
    );
    repo.commitAll('a reconciler identity with no rights');
    const res = await cli.run(['plan', '--repo', repo.dir]);
    const out = res.stdout + res.stderr;
    assert.match(out, /not allowed to list (deployments|services) in namespace mcp: HTTP 403/);
    assert.doesNotMatch(out, /"kind":"Status"|Headers:|audit-id/);
    repo.write('environments/prod.yaml', env('search', { prune: true }));
    repo.commitAll('back to the reconciler');
  });

  test('the canary secret value is in no object, report, commit or output', async () => {
    const plan = await cli.run(['plan', '--repo', repo.dir, '--format', 'json']);
    assert.equal(plan.code, 0, plan.stderr);
    for (const text of cli.transcript) assert.ok(!text.includes(CANARY), 'canary in CLI output');
    assert.ok(!repo.git('log', '-p', '--all').includes(CANARY), 'canary in git history');
    const objects = JSON.stringify([
      await admin.apps.listNamespacedDeployment({ namespace: NS }),
      await admin.core.listNamespacedService({ namespace: NS }),
      await admin.core.listNamespacedConfigMap({ namespace: NS }),
    ]);
    assert.ok(!objects.includes(CANARY), 'canary in an object');
    assert.match(objects, /search-creds/);
  });
  test('an environment removed from the repo (sync.prune: true) has its owned objects deleted', async () => {
    repo.git('rm', '-q', 'environments/prod.yaml');
    repo.commitAll('retire prod');
    const res = await reconcile();
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, /prod\/cluster: delete search: applied/);
    await assert.rejects(deployment('search'), (e) => kubeStatus(e) === 404);
    await assert.rejects(service('search'), (e) => kubeStatus(e) === 404);
    assert.equal((await deployment('handmade')).metadata.name, 'handmade');
  });
});
