/**
 * The other half of least privilege: the rights deploy/kubernetes grants are enough for the real
 * product. Against the real API server, with nothing but a token of the manifests' own
 * ServiceAccount: a repo made by `mcp-gitops init --preset kubernetes` reconciles into mcp-servers
 * (Deployment and Service with the secretKeyRef and the non-root user; a second reconcile changes
 * nothing) while the Secret's value is neither readable nor printed; and `serve --leader-elect`
 * takes and renews its Lease in mcp-gitops and releases it on SIGTERM. manifests.test.ts shows
 * what the same identity may not do.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectKube, type KubeConnection } from '../../src/kube/connect.js';
import { cliRunner } from '../helpers/cli.js';
import { type KubeApiServer, startKubeApiServer } from '../helpers/kube-apiserver.js';
import { waitFor } from '../helpers/mcp-servers.js';
import { type ConfigRemote, createConfigRemote } from '../remote/config-remote.js';
import { startReplica, waitForLeader } from '../serve/leader/replicas.js';
import { deployManifests, withoutFile } from './deploy-manifests.js';
import { strictApply } from './strict-apply.js';

const SERVERS = 'mcp-servers';
const OWN = 'mcp-gitops';
const LEASE = 'mcp-gitops-leader';
const CANARY = `canary-${randomBytes(12).toString('hex')}`;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-deploy-rbac-'));

let api: KubeApiServer;
let admin: KubeConnection;
/** Kubeconfigs of the manifests' ServiceAccount, one per namespace it works in. */
let saServers = '';
let saOwn = '';

before(async () => {
  api = await startKubeApiServer({ dir: base });
  admin = connectKube({ kubeconfig: api.adminKubeconfig });
  for (const m of deployManifests()) {
    const answer = await strictApply(admin, withoutFile(m), 'deploy-test-admin');
    assert.ok([200, 201].includes(answer.status), `${m.kind} ${m.metadata?.name}: ${answer.message}`);
  }
  await admin.core.createNamespacedSecret({
    namespace: SERVERS,
    body: { metadata: { name: 'mcp-everything' }, stringData: { token: CANARY } },
  });
  const token = await api.serviceAccountToken(OWN, 'mcp-gitops');
  saServers = await api.kubeconfigFor(token, { namespace: SERVERS });
  saOwn = await api.kubeconfigFor(token, { namespace: OWN });
});

after(async () => {
  await api?.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

const gitHead = (dir: string) =>
  execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

test('a repo from init --preset kubernetes reconciles as the ServiceAccount; the rerun changes nothing', {
  timeout: 400_000,
}, async () => {
  const repo = path.join(base, 'config');
  // The target names no kubeconfig: $KUBECONFIG is the ServiceAccount's, as a pod's token would be.
  const cli = cliRunner({
    MCP_GITOPS_HOME: path.join(base, 'home'),
    KUBECONFIG: saServers,
    KUBERNETES_SERVICE_HOST: '',
    GIT_AUTHOR_NAME: 'Init',
    GIT_AUTHOR_EMAIL: 'init@example.com',
    GIT_COMMITTER_NAME: 'Init',
    GIT_COMMITTER_EMAIL: 'init@example.com',
  });
  const init = await cli.run(['init', repo, '--preset', 'kubernetes']);
  assert.equal(init.code, 0, init.stderr);
  const first = await cli.run(['reconcile', '--repo', repo]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /cluster\/k8s: create everything-kubernetes: applied/);

  const deployment = await admin.apps.readNamespacedDeployment({
    name: 'everything-kubernetes',
    namespace: SERVERS,
  });
  const container = deployment.spec?.template.spec?.containers[0];
  assert.deepEqual(
    JSON.parse(JSON.stringify(container?.env?.find((e) => e.name === 'API_TOKEN')?.valueFrom)),
    {
      secretKeyRef: { name: 'mcp-everything', key: 'token' },
    },
  );
  assert.equal(container?.securityContext?.runAsUser, 1000);
  assert.equal(container?.securityContext?.readOnlyRootFilesystem, true);
  const service = await admin.core.readNamespacedService({
    name: 'everything-kubernetes',
    namespace: SERVERS,
  });
  assert.equal(service.spec?.ports?.[0]?.port, 3001);

  const commit = gitHead(repo);
  const second = await cli.run(['reconcile', '--repo', repo]);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.equal(gitHead(repo), commit, 'the second reconcile made a commit');
  assert.doesNotMatch(second.stdout, /: (create|update|delete) everything-kubernetes/);

  for (const text of cli.transcript) assert.ok(!text.includes(CANARY), 'the secret value was printed');
  assert.ok(!JSON.stringify([deployment, service]).includes(CANARY));
});

describe('serve --leader-elect as the ServiceAccount', () => {
  let remote: ConfigRemote;
  before(async () => {
    remote = await createConfigRemote();
  });
  after(async () => {
    await remote?.close();
  });

  test('takes and renews its Lease in mcp-gitops, and releases it on SIGTERM', {
    timeout: 180_000,
  }, async () => {
    const read = () => admin.coordination.readNamespacedLease({ name: LEASE, namespace: OWN });
    const replica = await startReplica(remote, 'a', { kubeconfig: saOwn, lease: LEASE, namespace: OWN });
    try {
      const leader = await waitForLeader([replica]);
      const identity = await leader.identity();
      const taken = await read();
      assert.equal(taken.spec?.holderIdentity, identity);
      const renewedAt = new Date(taken.spec?.renewTime ?? 0).getTime();
      await waitFor(async () => new Date((await read()).spec?.renewTime ?? 0).getTime() > renewedAt, {
        timeoutMs: 15_000,
        intervalMs: 200,
        what: 'a renewal of the Lease',
      });
    } finally {
      await replica.stop();
    }
    assert.equal((await read()).spec?.holderIdentity ?? '', '', 'the Lease was not released');
  });
});
