/** Pure parts of the kubernetes provider: projection/comparable, health, settings, placements. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Plan } from '../../../src/core/plan.js';
import { planChecks } from '../../../src/preflight/plan-checks.js';
import {
  liveComparable,
  project,
  quantity,
  renderedComparable,
} from '../../../src/providers/kubernetes/comparable.js';
import { deploymentHealth } from '../../../src/providers/kubernetes/kube-health.js';
import { validateKubernetesTarget } from '../../../src/providers/kubernetes/kube-settings.js';
import { renderManifests } from '../../../src/providers/kubernetes/render-manifests.js';
import { desiredEnvironment, desiredServer, desiredTarget, targetSpec } from './fixtures.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function rendered() {
  const target = desiredTarget();
  return renderManifests(desiredServer(), target, desiredEnvironment(target));
}

/** What an API server stores: our fields plus defaults and another manager's additions. */
function stored() {
  const r = rendered();
  // biome-ignore lint/suspicious/noExplicitAny: building a live object by hand
  const d = clone(r.deployment) as any;
  d.metadata.labels.team = 'search';
  d.metadata.annotations['deployment.kubernetes.io/revision'] = '3';
  d.metadata.generation = 2;
  d.spec.strategy = { type: 'RollingUpdate' };
  const c = d.spec.template.spec.containers[0];
  c.imagePullPolicy = 'IfNotPresent';
  c.env.push({ name: 'EXTRA_FROM_SOMEONE', value: 'x' });
  c.resources.requests.memory = '67108864';
  d.spec.template.spec.dnsPolicy = 'ClusterFirst';
  // biome-ignore lint/suspicious/noExplicitAny: building a live object by hand
  const s = clone(r.service) as any;
  s.spec.clusterIP = '10.0.0.12';
  s.spec.sessionAffinity = 'None';
  return { deployment: d, service: s };
}

describe('comparable', () => {
  test('a live object in sync (defaults, others’ fields, quantities respelled) compares equal to the rendering', () => {
    assert.deepEqual(liveComparable(stored(), rendered()), renderedComparable(rendered()));
  });

  test('replicas, an env value, the image and a removed env variable of ours are drift', () => {
    const live = stored();
    live.deployment.spec.replicas = 4;
    const c = live.deployment.spec.template.spec.containers[0];
    c.image = 'ghcr.io/acme/search:9';
    c.env = c.env.filter((e: { name: string }) => e.name !== 'A_FIRST');
    c.env.find((e: { name: string }) => e.name === 'LOG_LEVEL').value = 'debug';
    const actual = liveComparable(live, rendered());
    const want = renderedComparable(rendered());
    assert.equal(actual.replicas, 4);
    assert.equal(actual.image, 'ghcr.io/acme/search:9');
    assert.deepEqual(actual.env, { LOG_LEVEL: 'debug' });
    assert.deepEqual(want.env, { A_FIRST: '1', LOG_LEVEL: 'info' });
    assert.deepEqual(actual.secrets, { API_TOKEN: 'k8s:search-creds/token' });
  });

  test('a missing Service is drift', () => {
    const live = stored();
    const actual = liveComparable({ deployment: live.deployment }, rendered());
    assert.equal(actual.service, 'missing');
  });

  test('project keeps only the shape’s paths and matches named items by name', () => {
    assert.deepEqual(
      project(
        {
          a: 1,
          b: 2,
          list: [
            { name: 'y', v: 2, w: 0 },
            { name: 'x', v: 1 },
          ],
        },
        { a: 0, list: [{ name: 'x', v: 0 }] },
      ),
      { a: 1, list: [{ name: 'x', v: 1 }] },
    );
    assert.equal(quantity('1Gi'), quantity('1024Mi'));
    assert.equal(quantity('500m'), quantity('0.5'));
    assert.equal(quantity('abc'), undefined);
  });
});

describe('deploymentHealth', () => {
  test('never seen by a controller: unknown, said plainly', () => {
    const h = deploymentHealth({ metadata: { generation: 1 }, spec: { replicas: 1 } });
    assert.equal(h.health, 'unknown');
    assert.match(h.down ?? '', /not processed generation 1/);
  });
  test('available with all replicas: healthy; too few: starting; deadline exceeded: unhealthy', () => {
    const base = { metadata: { generation: 2 }, spec: { replicas: 2 } };
    const status = (s: object) => ({ ...base, status: { observedGeneration: 2, ...s } });
    assert.equal(
      deploymentHealth(status({ availableReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] }))
        .health,
      'healthy',
    );
    assert.equal(
      deploymentHealth(status({ availableReplicas: 1, conditions: [{ type: 'Available', status: 'True' }] }))
        .health,
      'starting',
    );
    const stuck = deploymentHealth(
      status({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
    );
    assert.equal(stuck.health, 'unhealthy');
    assert.match(stuck.down ?? '', /progress deadline/);
    assert.equal(deploymentHealth(undefined).health, 'unhealthy');
  });
});

describe('validateKubernetesTarget', () => {
  test('local only, a namespace name, no other providers’ keys', () => {
    assert.deepEqual(validateKubernetesTarget(targetSpec({ namespace: 'mcp', context: 'prod' })), []);
    assert.match(validateKubernetesTarget(targetSpec({ host: 'ssh://a@b' })).join(), /host: local/);
    assert.match(validateKubernetesTarget(targetSpec({ namespace: 'Bad_NS' })).join(), /namespace name/);
    assert.match(
      validateKubernetesTarget(targetSpec({ socket: '/x.sock' })).join(),
      /not a kubernetes setting/,
    );
  });
});

describe('planChecks on a kubernetes target', () => {
  test('k8s: secrets are never checked (the cluster resolves them); other providers still check theirs', () => {
    const change = {
      environment: 'prod',
      target: 'cluster',
      server: 'search',
      action: 'create',
      reason: 'missing',
      diffs: [],
      desired: desiredServer(),
    };
    const target = (provider: string) => ({
      environment: 'prod',
      target: 'cluster',
      provider,
      host: 'local',
      changes: [change],
    });
    const plan = (provider: string) => ({ targets: [target(provider)] }) as unknown as Plan;
    assert.deepEqual(planChecks(plan('kubernetes')).secrets, []);
    assert.equal(planChecks(plan('container')).secrets.length, 1);
  });
});
