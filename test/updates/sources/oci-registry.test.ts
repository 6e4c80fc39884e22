/**
 * The OCI version source against a real registry: Debian's docker-registry on loopback, holding
 * images pushed by real podman. Tags (versions and not), pages of `n` tags following `Link`,
 * digests and build times of the tags that could be proposed, the digest the pinned tag points
 * at, a registry behind htpasswd basic auth, a registry that is down, and an unknown image.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { listOciVersions } from '../../../src/updates/sources/oci.js';
import type { RegistryAccess, SourceContext, VersionListing } from '../../../src/updates/types.js';
import {
  type Credentials,
  type PushedImage,
  pushImages,
  type Registry,
  startOciRegistry,
} from '../../helpers/oci-registry.js';
import { ensureEverythingImage } from '../../helpers/podman.js';
import { requireTools } from '../../helpers/require-tools.js';

requireTools('podman', 'docker-registry');

const TAGS = ['1.0.0', '1.1.0', 'v1.2.0', 'latest', 'sha-0a1b2c', '0.9.0'];
const CANARY = `canary-${randomBytes(8).toString('hex')}`;
const AUTH: Credentials = { username: 'robot', password: CANARY };

function context(access: RegistryAccess): SourceContext & { requests: number } {
  const ctx = {
    access,
    signal: AbortSignal.timeout(60_000),
    requests: 0,
    countRequest: () => {
      ctx.requests++;
    },
  };
  return ctx;
}

const byTag = (pushed: PushedImage[], tag: string) => {
  const found = pushed.find((p) => p.tag === tag);
  assert.ok(found, tag);
  return found;
};
const release = (listing: VersionListing, tag: string) => listing.releases.find((r) => r.version === tag);

describe('OCI versions from a real docker-registry', { timeout: 600_000 }, () => {
  let open: Registry;
  let locked: Registry;
  let pushed: PushedImage[];
  let lockedPushed: PushedImage[];
  const name = `tools/srv-${randomBytes(3).toString('hex')}`;

  before(async () => {
    const base = await ensureEverythingImage();
    [open, locked] = await Promise.all([startOciRegistry(), startOciRegistry({ auth: AUTH })]);
    pushed = await pushImages(open, base, name, TAGS);
    lockedPushed = await pushImages(locked, base, name, ['1.0.0', '1.0.1'], AUTH);
  });
  after(async () => {
    await open?.stop();
    await locked?.stop();
  });

  const access = (): RegistryAccess => ({ url: `http://${open.address}`, insecure: true });

  test('lists every tag; newer versions carry their digest and build time; the pin its digest now', async () => {
    const ctx = context(access());
    const listing = await listOciVersions(
      { kind: 'oci', identifier: `${open.address}/${name}`, current: '1.0.0' },
      ctx,
    );
    assert.equal(listing.registry, `http://${open.address}`);
    assert.deepEqual(listing.releases.map((r) => r.version).sort(), [...TAGS].sort());
    for (const tag of ['1.1.0', 'v1.2.0']) {
      const image = byTag(pushed, tag);
      assert.deepEqual(
        release(listing, tag),
        { version: tag, digest: image.digest, publishedAt: image.created },
        tag,
      );
    }
    for (const tag of ['1.0.0', '0.9.0', 'latest', 'sha-0a1b2c'])
      assert.deepEqual(release(listing, tag), { version: tag });
    assert.equal(listing.currentDigest, byTag(pushed, '1.0.0').digest);
    // one tag page; per newer tag a manifest and a config blob; a HEAD for the pin
    assert.equal(ctx.requests, 1 + 2 * 2 + 1);
  });

  test('a pin with a digest, and an identifier with one, read the same', async () => {
    const pinned = `1.0.0@${byTag(pushed, '1.0.0').digest}`;
    const listing = await listOciVersions(
      {
        kind: 'oci',
        identifier: `${open.address}/${name}@${byTag(pushed, '0.9.0').digest}`,
        current: pinned,
      },
      context(access()),
    );
    assert.equal(listing.currentDigest, byTag(pushed, '1.0.0').digest);
    assert.equal(release(listing, 'v1.2.0')?.digest, byTag(pushed, 'v1.2.0').digest);
  });

  test('asking for pages of n tags still lists them all', async () => {
    // Debian's distribution 2.8 ignores `n` on tags/list (tag pages came in distribution 3) and
    // sends no Link: one request. Following Link pages is tested in oci-protocol.test.ts.
    const ctx = context(access());
    const listing = await listOciVersions(
      { kind: 'oci', identifier: `${open.address}/${name}`, current: 'v1.2.0' },
      ctx,
      { pageSize: 2 },
    );
    assert.deepEqual(listing.releases.map((r) => r.version).sort(), [...TAGS].sort());
    assert.equal(ctx.requests, 1 + 1);
    assert.ok(listing.releases.every((r) => r.digest === undefined));
  });

  test('at most `detailed` tags are looked at closely, newest first', async () => {
    const listing = await listOciVersions(
      { kind: 'oci', identifier: `${open.address}/${name}`, current: '0.9.0' },
      context(access()),
      { detailed: 2 },
    );
    assert.deepEqual(
      listing.releases.filter((r) => r.digest !== undefined).map((r) => r.version),
      ['1.1.0', 'v1.2.0'].filter((t) => TAGS.includes(t)),
    );
  });

  test('an unknown image is not-found, in our words', async () => {
    await assert.rejects(
      listOciVersions(
        { kind: 'oci', identifier: `${open.address}/no/such`, current: '1.0.0' },
        context(access()),
      ),
      (err: Error & { code?: string }) => {
        assert.equal(err.name, 'UpdateSourceError');
        assert.equal(err.code, 'not-found');
        assert.match(err.message, new RegExp(`^http://${open.address.replace(/\./g, '\\.')} `));
        return true;
      },
    );
  });

  test('a registry behind basic auth: listed with the configured credentials', async () => {
    const listing = await listOciVersions(
      { kind: 'oci', identifier: `${locked.address}/${name}`, current: '1.0.0' },
      context({ url: `http://${locked.address}`, insecure: true, ...AUTH }),
    );
    assert.deepEqual(listing.releases.map((r) => r.version).sort(), ['1.0.0', '1.0.1']);
    assert.equal(release(listing, '1.0.1')?.digest, byTag(lockedPushed, '1.0.1').digest);
    assert.equal(listing.currentDigest, byTag(lockedPushed, '1.0.0').digest);
  });

  test('without credentials, or with wrong ones, it is unauthorized and the password is never told', async () => {
    const query = { kind: 'oci' as const, identifier: `${locked.address}/${name}`, current: '1.0.0' };
    const base = { url: `http://${locked.address}`, insecure: true };
    await assert.rejects(listOciVersions(query, context(base)), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'unauthorized');
      assert.match(err.message, /requires a username and password; none are configured/);
      return true;
    });
    const wrong = { ...base, username: 'robot', password: `${CANARY}-wrong` };
    await assert.rejects(listOciVersions(query, context(wrong)), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'unauthorized');
      assert.ok(!`${err.message} ${err.stack}`.includes(CANARY), err.message);
      assert.ok(!err.message.includes(Buffer.from(`robot:${CANARY}-wrong`).toString('base64')));
      return true;
    });
  });

  test('a registry that is down is unreachable; plain http needs insecure', async () => {
    await assert.rejects(
      listOciVersions(
        { kind: 'oci', identifier: `127.0.0.1:${open.closedPort}/x`, current: '1' },
        context({ url: `http://127.0.0.1:${open.closedPort}`, insecure: true }),
      ),
      { code: 'unreachable', message: `could not reach http://127.0.0.1:${open.closedPort} (ECONNREFUSED)` },
    );
    await assert.rejects(
      listOciVersions(
        { kind: 'oci', identifier: `${open.address}/${name}`, current: '1' },
        context({ url: `http://${open.address}` }),
      ),
      { code: 'bad-config' },
    );
  });
});
