/**
 * deploy/kubernetes read as files, no cluster: what the API server cannot judge. Every file is in
 * the kustomization; no Secret, no value of one and no cluster-wide rule is in the manifests; the
 * Deployment runs the image deploy/container builds, with the flags `mcp-gitops serve --help`
 * lists (so a renamed flag fails here, not in a cluster), secret files mounted from Secrets, the
 * probes, the scrape annotations and a hardened security context. That the API server accepts
 * them and enforces the RBAC is manifests.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DEPLOY_DIR, deployManifests, kustomizationResources, manifest } from './deploy-manifests.js';

const root = path.resolve(DEPLOY_DIR, '../..');
const all = deployManifests();

interface Container {
  image: string;
  args: string[];
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: object; secret?: { secretName: string; items?: { path: string }[] } }[];
}
const deployment = manifest(all, 'Deployment', 'mcp-gitops') as unknown as {
  spec: { replicas: number; template: { metadata: { annotations: Record<string, string> }; spec: PodSpec } };
};
const pod = deployment.spec.template.spec;
const serve = pod.containers[0] as Container;

let serveHelp: string | undefined;
/** Whether `mcp-gitops serve --help` (run once) lists `flag`. */
function serveHasFlag(flag: string): boolean {
  if (serveHelp === undefined) {
    const help = spawnSync(process.execPath, [path.join(root, 'bin/mcp-gitops.js'), 'serve', '--help'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(help.status, 0, help.stderr);
    serveHelp = help.stdout;
  }
  return new RegExp(`(^|[ ,])${flag}( |,|=|$)`, 'm').test(serveHelp);
}

describe('deploy/kubernetes files', () => {
  test('kustomization.yaml lists every manifest in the folder', () => {
    const files = fs
      .readdirSync(DEPLOY_DIR)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort();
    assert.deepEqual([...kustomizationResources()].sort(), files);
  });

  test('no Secret, no cluster-wide RBAC, no rule on Secrets or wildcards', () => {
    const kinds = all.map((m) => m.kind);
    for (const kind of ['Secret', 'ClusterRole', 'ClusterRoleBinding'])
      assert.ok(!kinds.includes(kind), kind);
    const roles = all.filter((m) => m.kind === 'Role');
    assert.equal(roles.length, 2);
    for (const role of roles) {
      for (const rule of role.rules as { resources: string[]; verbs: string[]; apiGroups: string[] }[]) {
        assert.ok(!rule.resources.includes('secrets'), `${role.metadata?.name} grants secrets`);
        assert.ok(![...rule.resources, ...rule.verbs, ...rule.apiGroups].includes('*'), 'wildcard');
      }
    }
    for (const binding of all.filter((m) => m.kind === 'RoleBinding')) {
      assert.deepEqual(binding.subjects, [
        { kind: 'ServiceAccount', name: 'mcp-gitops', namespace: 'mcp-gitops' },
      ]);
    }
  });

  test('the Deployment runs `serve --leader-elect` from the image deploy/container builds, two replicas', () => {
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(pod.serviceAccountName, 'mcp-gitops');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    // scripts/build-image.mjs tags mcp-gitops:VERSION by default.
    assert.equal(serve.image, `mcp-gitops:${pkg.version}`);
    assert.equal(serve.args[0], 'serve');
    assert.ok(serve.args.includes('--leader-elect'));
    assert.ok(serve.args.includes('--listen=0.0.0.0:8080'));
  });

  test('every flag the Deployment passes is one `mcp-gitops serve --help` lists', () => {
    for (const arg of serve.args.slice(1)) {
      const flag = arg.split('=')[0] as string;
      assert.match(flag, /^--[a-z-]+$/, arg);
      assert.ok(serveHasFlag(flag), `serve has no ${flag}`);
    }
  });

  test('docs/kubernetes.md names every manifest, and every serve flag it documents exists', () => {
    const docs = fs.readFileSync(path.join(root, 'docs/kubernetes.md'), 'utf8');
    for (const file of kustomizationResources()) assert.ok(docs.includes(`\`${file}\``), file);
    const flags = new Set(docs.match(/`--[a-z][a-z-]+/g)?.map((f) => f.slice(1)) ?? []);
    assert.ok(flags.has('--leader-elect') && flags.has('--shard-selector'), [...flags].join(' '));
    for (const flag of flags)
      assert.ok(serveHasFlag(flag), `docs/kubernetes.md documents ${flag}; serve has none`);
  });

  test('secrets arrive as mounted Secret files and secretKeyRefs, never as values', () => {
    for (const env of serve.env ?? []) {
      assert.equal(env.value, undefined, `${env.name} has a literal value`);
      assert.ok(env.valueFrom, env.name);
    }
    const secretVolumes = new Map(pod.volumes.filter((v) => v.secret).map((v) => [v.name, v.secret]));
    for (const flag of ['--webhook-secret-file', '--git-token-file']) {
      const file = serve.args.find((a) => a.startsWith(`${flag}=`))?.split('=')[1];
      assert.ok(file, flag);
      const mount = serve.volumeMounts.find((m) => file.startsWith(`${m.mountPath}/`));
      assert.ok(mount && secretVolumes.has(mount.name), `${file} is not on a Secret volume`);
      assert.equal(mount.readOnly, true);
      assert.ok(secretVolumes.get(mount.name)?.items?.some((i) => `${mount.mountPath}/${i.path}` === file));
    }
  });

  test('the cache is on an emptyDir; probes, scrape annotations and a hardened security context', () => {
    const home = serve.volumeMounts.find((m) => m.mountPath === '/var/lib/mcp-gitops');
    assert.ok(pod.volumes.find((v) => v.name === home?.name)?.emptyDir);
    assert.ok(serve.args.includes('--state-dir=/var/lib/mcp-gitops/state'));
    assert.equal(serve.livenessProbe.httpGet.path, '/healthz');
    assert.equal(serve.readinessProbe.httpGet.path, '/readyz');
    const annotations = deployment.spec.template.metadata.annotations;
    assert.equal(annotations['prometheus.io/scrape'], 'true');
    assert.equal(annotations['prometheus.io/path'], '/metrics');
    assert.equal(Number(annotations['prometheus.io/port']), serve.ports[0]?.containerPort);
    assert.deepEqual(
      {
        allowPrivilegeEscalation: serve.securityContext.allowPrivilegeEscalation,
        readOnlyRootFilesystem: serve.securityContext.readOnlyRootFilesystem,
        capabilities: serve.securityContext.capabilities,
      },
      { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    );
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.securityContext.runAsUser, 10001);
    const service = manifest(all, 'Service', 'mcp-gitops') as unknown as {
      spec: { ports: { targetPort: string }[] };
    };
    assert.equal(service.spec.ports[0]?.targetPort, serve.ports[0]?.name);
  });
});
