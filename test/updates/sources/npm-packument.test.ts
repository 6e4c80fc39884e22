/**
 * Unit tests of pure logic: what a packument's shape allows through (verdaccio itself refuses to
 * serve most of these malformed documents, so they are handed to the parser directly), and how a
 * package name becomes a packument URL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isNpmPackageName, packumentUrl, releasesOf } from '../../../src/updates/sources/npm.js';

const LOOPBACK = 'http://127.0.0.1:4873';

describe('npm packument shape', () => {
  test('a reply that is not a packument is refused as a whole', () => {
    for (const garbage of [null, 'text', 42, [], {}, { versions: [] }, { versions: 'x' }]) {
      assert.equal(releasesOf(garbage, 'p', LOOPBACK), undefined, JSON.stringify(garbage));
    }
  });

  test('versions that are not strict semver, and manifests that are not objects, are dropped', () => {
    const releases = releasesOf(
      {
        versions: {
          '1.0.0': {},
          'v1.0.1': {},
          '1.0': {},
          '1.0.2\n': {},
          '1.0.3 || >2': {},
          [`1.0.4-${'a'.repeat(80)}`]: {},
          '1.0.5': 'not a manifest',
          '1.1.0-beta.1': {},
        },
      },
      'p',
      LOOPBACK,
    );
    assert.deepEqual(
      releases?.map((r) => r.version),
      ['1.0.0', '1.1.0-beta.1'],
    );
  });

  test('only garbage versions: refused (bad-reply for this package)', () => {
    assert.equal(releasesOf({ versions: { latest: {}, '<script>': {} } }, 'p', LOOPBACK), undefined);
  });

  test('a package with no versions at all lists nothing', () => {
    assert.deepEqual(releasesOf({ versions: {} }, 'p', LOOPBACK), []);
  });

  test('times must be ISO dates; deprecated means a non-empty message', () => {
    const releases = releasesOf(
      {
        versions: {
          '1.0.0': { deprecated: 'use 2' },
          '1.0.1': { deprecated: '' },
          '1.0.2': { deprecated: false },
          '1.0.3': {},
        },
        time: { '1.0.0': '2024-01-01T10:00:00+02:00', '1.0.1': 'last week', '1.0.2': 1700000000000 },
      },
      'p',
      LOOPBACK,
    );
    assert.deepEqual(releases, [
      { version: '1.0.0', publishedAt: '2024-01-01T08:00:00.000Z', withdrawn: true },
      { version: '1.0.1' },
      { version: '1.0.2' },
      { version: '1.0.3' },
    ]);
  });

  test('on registry.npmjs.org each version links to its npmjs page', () => {
    const releases = releasesOf({ versions: { '1.2.3': {} } }, '@scope/pkg', 'https://registry.npmjs.org/');
    assert.equal(releases?.[0]?.url, 'https://www.npmjs.com/package/@scope/pkg/v/1.2.3');
  });

  test('package names and packument URLs', () => {
    assert.ok(isNpmPackageName('@modelcontextprotocol/server-everything'));
    assert.ok(isNpmPackageName('JSONStream'));
    for (const bad of ['', '../x', '@scope', '@scope/', 'a/b', 'a b', '.hidden', `x${'y'.repeat(214)}`]) {
      assert.ok(!isNpmPackageName(bad), bad);
    }
    assert.equal(packumentUrl('https://r.example/npm/', '@s/p'), 'https://r.example/npm/@s%2fp');
    assert.equal(packumentUrl('https://r.example/npm', 'p'), 'https://r.example/npm/p');
  });
});
