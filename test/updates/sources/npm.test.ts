/**
 * The npm version source against a real npm registry: verdaccio 6.0.5 on loopback
 * (test/helpers/verdaccio.ts), with packages published by the real `npm publish` and packages
 * seeded into its storage with publish times in the past.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { UpdateSourceError } from '../../../src/updates/sources/errors.js';
import { versionSource } from '../../../src/updates/sources/index.js';
import type { RegistryAccess, Release, VersionListing } from '../../../src/updates/types.js';
import { writeDemoServerTarball } from '../../helpers/npm-tarball.js';
import { startVerdaccio, type Verdaccio } from '../../helpers/verdaccio.js';

let registry: Verdaccio;

before(async () => {
  registry = await startVerdaccio();
});
after(async () => {
  await registry?.stop();
});

async function list(
  identifier: string,
  access: RegistryAccess,
): Promise<{ listing: VersionListing; requests: number }> {
  const source = await versionSource('npm');
  let requests = 0;
  const listing = await source.list(
    { kind: 'npm', identifier, current: '0.0.0' },
    { access, signal: AbortSignal.timeout(30_000), countRequest: () => requests++ },
  );
  return { listing, requests };
}

function byVersion(releases: Release[]): Record<string, Release> {
  return Object.fromEntries(releases.map((r) => [r.version, r]));
}

async function listError(identifier: string, access: RegistryAccess): Promise<UpdateSourceError> {
  try {
    await list(identifier, access);
  } catch (error) {
    assert.ok(error instanceof UpdateSourceError, `expected an UpdateSourceError, got ${String(error)}`);
    return error;
  }
  assert.fail(`listing ${identifier} should have failed`);
}

describe('npm version source (real verdaccio)', () => {
  test('lists every version with its publish time, and deprecated versions as withdrawn', async () => {
    await registry.seed('timed-package', [
      { version: '1.0.0', publishedAt: '2020-01-02T03:04:05.000Z' },
      { version: '1.1.0', publishedAt: '2021-06-01T00:00:00.000Z', deprecated: 'broken, use 1.1.1' },
      { version: '1.1.1', publishedAt: '2021-06-02T00:00:00.000Z' },
      { version: '2.0.0-rc.1', publishedAt: '2022-01-01T00:00:00.000Z' },
    ]);
    const { listing, requests } = await list('timed-package', { url: registry.url });
    assert.equal(listing.registry, new URL(registry.url).origin);
    assert.equal(requests, 1);
    const releases = byVersion(listing.releases);
    assert.deepEqual(Object.keys(releases).sort(), ['1.0.0', '1.1.0', '1.1.1', '2.0.0-rc.1']);
    assert.equal(releases['1.0.0']?.publishedAt, '2020-01-02T03:04:05.000Z');
    assert.equal(releases['2.0.0-rc.1']?.publishedAt, '2022-01-01T00:00:00.000Z');
    assert.equal(releases['1.1.0']?.withdrawn, true);
    assert.equal(releases['1.1.1']?.withdrawn, undefined);
    // A loopback registry is not npmjs: no registry page, and the package gave no https homepage.
    assert.equal(releases['1.0.0']?.url, undefined);
  });

  test('versions published with the real npm publish are listed with times of now', async () => {
    const before = Date.now() - 60_000;
    for (const version of ['1.0.0', '1.1.0', '2.0.0']) {
      await registry.publish(await writeDemoServerTarball(registry.storage, version));
    }
    const { listing } = await list('mcp-gitops-demo-server', { url: registry.url });
    const releases = byVersion(listing.releases);
    assert.deepEqual(Object.keys(releases).sort(), ['1.0.0', '1.1.0', '2.0.0']);
    for (const release of listing.releases) {
      assert.ok(Date.parse(release.publishedAt ?? '') >= before, `${release.version} has a fresh time`);
    }
  });

  test('a package directory publishes too, and an older version with a tag', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mcp-gitops-pkg-'));
    try {
      for (const [version, tag] of [
        ['3.0.0', undefined],
        ['2.9.0', 'legacy'],
      ] as const) {
        await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: '@acme/from-dir', version }));
        await writeFile(path.join(dir, 'index.js'), 'module.exports = 1;\n');
        await registry.publish(dir, tag === undefined ? {} : { tag });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const { listing } = await list('@acme/from-dir', { url: registry.url });
    assert.deepEqual(listing.releases.map((r) => r.version).sort(), ['2.9.0', '3.0.0']);
  });

  test('a scoped name is asked for as @scope%2fname', async () => {
    await registry.seed('@acme/scoped-tool', [{ version: '0.3.0', publishedAt: '2023-03-03T00:00:00.000Z' }]);
    const { listing } = await list('@acme/scoped-tool', { url: registry.url });
    assert.deepEqual(listing.releases, [{ version: '0.3.0', publishedAt: '2023-03-03T00:00:00.000Z' }]);
  });

  test('an https homepage becomes the link; any other is dropped', async () => {
    await registry.seed('linked-package', [
      {
        version: '1.0.0',
        files: {
          'package.json': JSON.stringify({
            name: 'linked-package',
            version: '1.0.0',
            homepage: 'https://example.org/x',
          }),
        },
      },
      {
        version: '1.0.1',
        files: {
          'package.json': JSON.stringify({
            name: 'linked-package',
            version: '1.0.1',
            homepage: 'javascript:alert(1)',
          }),
        },
      },
    ]);
    const releases = byVersion((await list('linked-package', { url: registry.url })).listing.releases);
    assert.equal(releases['1.0.0']?.url, 'https://example.org/x');
    assert.equal(releases['1.0.1']?.url, undefined);
  });

  test('an unknown package is not-found', async () => {
    const error = await listError('no-such-package-here', { url: registry.url });
    assert.equal(error.code, 'not-found');
    assert.match(error.message, /127\.0\.0\.1/);
  });

  test('a name that is not an npm name is refused before any request', async () => {
    const error = await listError('../../-/user/x', { url: registry.url });
    assert.equal(error.code, 'bad-config');
  });

  test('a registry that is down (closed port) is unreachable, named by origin', async () => {
    const port = await closedPort();
    const error = await listError('timed-package', { url: `http://127.0.0.1:${port}/` });
    assert.equal(error.code, 'unreachable');
    assert.match(error.message, new RegExp(`http://127\\.0\\.0\\.1:${port}`));
  });

  test('a package that needs credentials: refused without, listed with the token', async () => {
    await registry.seed('@private/secret-tool', [
      { version: '4.0.0', publishedAt: '2024-04-04T00:00:00.000Z' },
    ]);
    assert.equal((await listError('@private/secret-tool', { url: registry.url })).code, 'unauthorized');
    const { listing } = await list('@private/secret-tool', { url: registry.url, token: registry.token });
    assert.deepEqual(
      listing.releases.map((r) => r.version),
      ['4.0.0'],
    );
  });

  test('a wrong token (a canary) is refused and never appears in the error', async () => {
    const canary = 'CANARY-npm-token-7f3e9a1c';
    const error = await listError('@private/secret-tool', { url: registry.url, token: canary });
    assert.equal(error.code, 'unauthorized');
    assert.ok(!error.message.includes(canary));
    assert.ok(!String(error.stack).includes(canary));
  });

  test('times that are not ISO dates are dropped, the versions kept', async () => {
    await registry.seed('odd-package', [{ version: '1.0.0' }, { version: '1.2.0' }]);
    const file = `${registry.storage}/odd-package/package.json`;
    const doc = JSON.parse(await readFile(file, 'utf8'));
    doc.time['1.0.0'] = 'yesterday';
    doc.time['1.2.0'] = '2024-02-30T00:00:00Z<script>';
    await writeFile(file, JSON.stringify(doc));
    const { listing } = await list('odd-package', { url: registry.url });
    assert.deepEqual(listing.releases, [{ version: '1.0.0' }, { version: '1.2.0' }]);
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
