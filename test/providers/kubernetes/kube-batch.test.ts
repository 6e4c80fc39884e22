/**
 * One reconcile of many servers on a `kubernetes` target (kube-batch.ts), through the real CLI on
 * a real kube-apiserver + etcd: the changes run several at a time, yet every result is reported
 * in plan order; a failure among them is that server's only (an unlabelled object of its name
 * that is never taken over, a server apply the API server refuses), the others are applied; a
 * server that depends on a failed one is not applied; ownership is known from observe's LIST and
 * one LIST of the namespace, so an owned object made by hand is applied over and an unlabelled
 * one still is not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectKube, type KubeConnection, kubeStatus } from '../../../src/kube/connect.js';
import { ownerLabels } from '../../../src/providers/kubernetes/kube-labels.js';
import { cliRunner } from '../../helpers/cli.js';
import { type KubeApiServer, startKubeApiServer } from '../../helpers/kube-apiserver.js';
import { createTempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { environmentYaml, REPOSITORY, serverYaml } from './kube-repo.js';

const NS = 'many';
const SERVERS = 24;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-gitops-kube-batch-'));
const cli = cliRunner({ MCP_GITOPS_HOME: path.join(base, 'home'), KUBERNETES_SERVICE_HOST: '' });

/** A Deployment made by someone else, with `labels` on it and a selector of its own. */
function handMade(name: string, labels: Record<string, string> | undefined) {
  return {
    metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: `hand-${name}` } },
      template: {
        metadata: { labels: { app: `hand-${name}` } },
        spec: { containers: [{ name: 'main', image: 'busybox' }] },
      },
    },
  };
}

describe('many servers on one kubernetes target in one reconcile', { timeout: 600_000 }, () => {
  let api: KubeApiServer;
  let admin: KubeConnection;
  let repo: TempRepo;
  const names = Array.from({ length: SERVERS }, (_, i) => `srv-${String(i).padStart(2, '0')}`);

  before(async () => {
    api = await startKubeApiServer({ dir: base });
    admin = connectKube({ kubeconfig: api.adminKubeconfig });
    await admin.core.createNamespace({ body: { metadata: { name: NS } } });
    repo = createTempRepo('mcp-gitops-kube-batch-repo-');
    repo.write('mcp-gitops.yaml', REPOSITORY);
    names.forEach((name, i) => {
      const extra = name === 'srv-13' ? '  dependsOn: [srv-12]\n' : '';
      repo.write(`servers/${name}.yaml`, serverYaml(name, 9000 + i, { extra }));
    });
    repo.write(
      'environments/prod.yaml',
      environmentYaml('prod', { kubeconfig: api.adminKubeconfig, namespace: NS }, names),
    );
    repo.commitAll(`${SERVERS} servers`);
  });

  after(async () => {
    await api?.stop();
    repo?.cleanup();
    fs.rmSync(base, { recursive: true, force: true });
  });

  test('results in plan order; a foreign object and a refused apply fail only their server; a dependant of a failure is not applied', async () => {
    // srv-05: a hand-made Deployment without our labels, never to be taken over.
    await admin.apps.createNamespacedDeployment({ namespace: NS, body: handMade('srv-05', undefined) });
    // srv-12: labelled as ours (observe lists it) but with another selector, which is immutable:
    // the API server refuses the server-side apply.
    await admin.apps.createNamespacedDeployment({
      namespace: NS,
      body: handMade('srv-12', ownerLabels('prod', 'cluster')),
    });

    const plan = await cli.run(['plan', '--repo', repo.dir]);
    const planned = [...plan.stdout.matchAll(/\b(srv-\d\d)\b/g)].map((m) => m[1]);
    const planOrder = planned.filter((n, i) => planned.indexOf(n) === i);
    assert.equal(planOrder.length, SERVERS, plan.stdout);

    const res = await cli.run(['reconcile', '--repo', repo.dir]);
    assert.equal(res.code, 1, res.stdout + res.stderr);
    const lines = [
      ...res.stdout.matchAll(/^prod\/cluster: (?:create|update) (srv-\d\d): (applied|FAILED)(.*)$/gm),
    ];
    assert.deepEqual(
      lines.map((m) => m[1]),
      planOrder,
      `every change reported once, in plan order:\n${res.stdout}`,
    );
    const failed = Object.fromEntries(lines.filter((m) => m[2] === 'FAILED').map((m) => [m[1], m[3]]));
    assert.deepEqual(Object.keys(failed).sort(), ['srv-05', 'srv-12', 'srv-13'], res.stdout);
    assert.match(
      failed['srv-05'] ?? '',
      /a deployment named srv-05 already exists in namespace many and is not managed/,
    );
    assert.match(
      failed['srv-12'] ?? '',
      /could not patch deployments in namespace many: HTTP 422: .*immutable/,
    );
    assert.match(failed['srv-13'] ?? '', /dependency "srv-12" failed/);

    for (const name of names) {
      if (name === 'srv-05' || name === 'srv-12' || name === 'srv-13') continue;
      const d = await admin.apps.readNamespacedDeployment({ name, namespace: NS });
      const s = await admin.core.readNamespacedService({ name, namespace: NS });
      assert.equal(d.spec?.template.spec?.containers[0]?.image, `ghcr.io/acme/${name}:1.0.0`);
      assert.equal(d.metadata?.labels?.['mcp-gitops.dev/target'], 'cluster');
      assert.equal(s.metadata?.labels?.['mcp-gitops.dev/environment'], 'prod');
    }
    const foreign = await admin.apps.readNamespacedDeployment({ name: 'srv-05', namespace: NS });
    assert.equal(foreign.spec?.template.spec?.containers[0]?.image, 'busybox');
    assert.equal(foreign.metadata?.labels, undefined);
    await assert.rejects(
      admin.core.readNamespacedService({ name: 'srv-05', namespace: NS }),
      (e) => kubeStatus(e) === 404,
      'nothing of a server whose Deployment is foreign is applied',
    );
    await assert.rejects(
      admin.apps.readNamespacedDeployment({ name: 'srv-13', namespace: NS }),
      (e) => kubeStatus(e) === 404,
    );
  });
});
