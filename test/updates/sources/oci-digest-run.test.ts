/**
 * A digest pin end to end with real components: Debian's docker-registry holds two images pushed
 * by podman; the OCI source proposes the newer tag with its digest; the pin `TAG@sha256:…` is what
 * the container provider pulls and runs through podman's Docker API (the server answers MCP), and
 * what the kubernetes renderer writes as the image. A digest that does not match the tag fails the
 * pull rather than running something else.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { containerProvider } from '../../../src/providers/container/index.js';
import { imageRef as containerImageRef } from '../../../src/providers/container/render-container.js';
import { imageRef as kubernetesImageRef } from '../../../src/providers/kubernetes/render-manifests.js';
import { listOciVersions } from '../../../src/updates/sources/oci.js';
import { verifyServer } from '../../../src/verify/verify-server.js';
import { type PushedImage, pushImages, type Registry, startOciRegistry } from '../../helpers/oci-registry.js';
import {
  ensureEverythingImage,
  type PodmanService,
  podman,
  removeContainersWithLabel,
  startPodmanService,
  uncommonPort,
} from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';
import {
  change,
  containerContext,
  desiredServer,
  everythingServer,
} from '../../providers/container/fixtures.js';

requireTools('podman', 'docker-registry');

const ENV = 'ocidigest';

describe('a TAG@sha256 pin proposed by the OCI source runs under real podman', { timeout: 300_000 }, () => {
  const cleanups: (() => unknown)[] = [];
  let registry: Registry;
  let service: PodmanService;
  let pushed: PushedImage[];
  let repository: string;
  let port: number;
  let home: string;

  before(async () => {
    const base = await ensureEverythingImage();
    registry = await startOciRegistry();
    cleanups.push(() => registry.stop());
    const name = `digest-${randomBytes(4).toString('hex')}`;
    repository = `${registry.address}/${name}`;
    pushed = await pushImages(registry, base, name, ['1.0.0', '1.1.0']);
    service = await startPodmanService({ registriesConf: registry.registriesConf });
    cleanups.push(() => service.stop());
    home = await mkdtemp(join(tmpdir(), 'mcp-gitops-ocidigest-'));
    cleanups.push(() => rm(home, { recursive: true, force: true }));
    port = await uncommonPort();
  });
  after(async () => {
    await removeContainersWithLabel(`io.mcp-gitops.environment=${ENV}`).catch(() => undefined);
    for (const p of pushed ?? [])
      await podman(['rmi', '-f', `${repository}@${p.digest}`]).catch(() => undefined);
    for (const fn of cleanups.reverse()) await fn();
  });

  const server = (version: string) => {
    const base = everythingServer('everything', port);
    return desiredServer('everything', {
      ...base.spec,
      package: { registryType: 'oci', identifier: repository, version },
      health: { expectTools: ['echo'], timeoutMs: 20_000 },
    });
  };
  const ctxFor = (servers: ReturnType<typeof server>[]) =>
    containerContext({ home, socket: service.socket, environment: ENV, servers });

  test('proposed with its digest, rendered as IDENTIFIER:TAG@sha256:…, pulled and verified', async () => {
    const [old, newer] = pushed as [PushedImage, PushedImage];
    const listing = await listOciVersions(
      { kind: 'oci', identifier: repository, current: `1.0.0@${old.digest}` },
      {
        access: { url: `http://${registry.address}`, insecure: true },
        signal: AbortSignal.timeout(30_000),
        countRequest: () => {},
      },
    );
    const proposed = listing.releases.find((r) => r.version === '1.1.0');
    assert.equal(proposed?.digest, newer.digest);
    const pin = `${proposed?.version}@${proposed?.digest}`;
    const desired = server(pin);
    const pkg = desired.spec.package;
    assert.ok(pkg);
    assert.equal(containerImageRef(pkg), `${repository}:1.1.0@${newer.digest}`);
    assert.equal(kubernetesImageRef(pkg), `${repository}:1.1.0@${newer.digest}`);

    const result = await containerProvider.apply(ctxFor([desired]), change('create', 'everything', desired));
    assert.equal(result.outcome, 'applied', result.message);
    const endpoint = await containerProvider.endpoint(ctxFor([desired]), desired);
    assert.ok(endpoint);
    const verified = await verifyServer(endpoint, { expectTools: ['echo'], timeoutMs: 20_000 });
    assert.equal(verified.health, 'healthy', verified.error);
    const digests = await podman([
      'ps',
      '--filter',
      `label=io.mcp-gitops.environment=${ENV}`,
      '--format',
      '{{.ImageID}}',
    ]);
    const imageDigest = await podman([
      'image',
      'inspect',
      '--format',
      '{{.Digest}}',
      digests.split('\n')[0] ?? '',
    ]);
    assert.equal(imageDigest, newer.digest, 'the container runs the pinned digest');
  });

  test("a digest that is not the tag's is refused by the pull, never run", async () => {
    const wrong = server(`1.1.0@sha256:${'0'.repeat(64)}`);
    const result = await containerProvider.apply(ctxFor([wrong]), change('update', 'everything', wrong));
    assert.equal(result.outcome, 'failed', result.message);
    assert.match(result.message ?? '', /could not pull/);
  });
});
