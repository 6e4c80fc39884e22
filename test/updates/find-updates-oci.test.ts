/**
 * findUpdates for OCI servers against a REAL registry (Debian docker-registry on loopback, images
 * pushed by real podman; U2's helpers): tags that are versions are compared, others (`latest`)
 * ignored; with `requireDigests` the proposal is pinned `tag@sha256:…`; a pin that carries its
 * digest keeps that form, and a pinned tag that moved to another digest is warned about.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { findUpdates } from '../../src/updates/find-updates.js';
import type { ServerUpdates, UpdatesReport } from '../../src/updates/types.js';
import { type PushedImage, pushImages, type Registry, startOciRegistry } from '../helpers/oci-registry.js';
import { ensureEverythingImage } from '../helpers/podman.js';
import { requireTools } from '../helpers/require-tools.js';
import { createTempRepo, type TempRepo } from '../helpers/temp-repo.js';

requireTools('podman', 'docker-registry');

const NAME = `tools/srv-${randomBytes(3).toString('hex')}`;
let registry: Registry;
let pushed: PushedImage[];
const repos: TempRepo[] = [];

const digestOf = (tag: string) => {
  const found = pushed.find((p) => p.tag === tag);
  assert.ok(found, tag);
  return found.digest;
};

function configRepo(version: string, requireDigests: boolean): TempRepo {
  const repo = createTempRepo('mcp-gitops-find-updates-oci-');
  repos.push(repo);
  repo.write(
    'mcp-gitops.yaml',
    `apiVersion: mcp-gitops/v1
kind: Repository
metadata: { name: oci-updates }
spec:
  branch: main
  updates:
    requireDigests: ${requireDigests}
    registries:
      oci:
        - { host: "${registry.address}", insecure: true }
`,
  );
  repo.write(
    'servers/box.yaml',
    `apiVersion: mcp-gitops/v1
kind: Server
metadata: { name: box }
spec:
  package:
    registryType: oci
    identifier: ${registry.address}/${NAME}
    version: "${version}"
  transport: streamable-http
  port: 3001
`,
  );
  repo.write(
    'environments/prod.yaml',
    `apiVersion: mcp-gitops/v1
kind: Environment
metadata: { name: prod }
spec:
  targets:
    - { name: host, provider: container, host: local, socket: "unix:///run/none.sock", bindAddress: 127.0.0.1 }
  servers:
    - name: box
`,
  );
  repo.commitAll('config');
  return repo;
}

const box = (report: UpdatesReport): ServerUpdates => {
  const found = report.servers.find((s) => s.server === 'box');
  assert.ok(found, 'box in the report');
  return found;
};

describe('findUpdates against a real OCI registry', { timeout: 600_000 }, () => {
  before(async () => {
    const base = await ensureEverythingImage();
    registry = await startOciRegistry();
    pushed = await pushImages(registry, base, NAME, ['1.0.0', '1.1.0', '2.0.0', 'latest']);
  });
  after(async () => {
    await registry?.stop();
    for (const repo of repos) repo.cleanup();
  });

  test('requireDigests: the proposal is pinned with its digest; latest is not a version', async () => {
    const report = await findUpdates({ dir: configRepo('1.0.0', true).dir, env: {} });
    const server = box(report);
    assert.equal(server.error, undefined);
    assert.equal(server.kind, 'oci');
    assert.equal(server.policy.requireDigest, true);
    assert.deepEqual(
      server.allowed.map((r) => r.version),
      ['1.1.0'],
    );
    assert.equal(server.proposed?.pin, `1.1.0@${digestOf('1.1.0')}`);
    assert.deepEqual(
      server.held.map((h) => `${h.version} ${h.reason}`),
      ['2.0.0 not-allowed'],
    );
    assert.deepEqual(server.targets, ['prod/host']);
    assert.ok(report.requests > 0);
  });

  test('a pin with its digest keeps that form; a tag that moved is warned about', async () => {
    const right = box(
      await findUpdates({ dir: configRepo(`1.0.0@${digestOf('1.0.0')}`, false).dir, env: {} }),
    );
    assert.equal(right.policy.requireDigest, false);
    assert.equal(right.proposed?.pin, `1.1.0@${digestOf('1.1.0')}`);
    assert.equal(right.warnings, undefined);
    const moved = box(
      await findUpdates({ dir: configRepo(`1.0.0@sha256:${'0'.repeat(64)}`, false).dir, env: {} }),
    );
    assert.equal(moved.warnings?.length, 1);
    assert.match(
      moved.warnings?.[0] ?? '',
      /^tag 1\.0\.0 now points at sha256:[0-9a-f]{12}…, not the pinned sha256:000000000000…$/,
    );
  });
});
