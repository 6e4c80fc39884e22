import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectUpdates } from '../../../src/updates/policy/select-updates.js';
import type { Release, UpdatePolicy } from '../../../src/updates/types.js';

const now = new Date('2026-12-05T12:00:00Z');
const policy = (over: Partial<UpdatePolicy> = {}): UpdatePolicy => ({
  allow: 'minor',
  ignore: [],
  minimumReleaseAgeMs: 0,
  prereleases: false,
  requireDigest: false,
  ...over,
});
const rel = (version: string, extra: Partial<Release> = {}): Release => ({
  version,
  publishedAt: '2026-11-01T00:00:00Z',
  ...extra,
});
const demo = [rel('1.0.0'), rel('1.1.0'), rel('2.0.0'), rel('0.9.0')];

test('allow minor proposes 1.1.0 and holds 2.0.0 as a major update; older versions are left out', () => {
  const out = selectUpdates('1.0.0', demo, policy(), now, 'npm');
  assert.deepEqual(
    out.allowed.map((r) => r.version),
    ['1.1.0'],
  );
  assert.deepEqual(out.held, [
    { version: '2.0.0', reason: 'not-allowed', detail: 'a major update; the policy allows minor' },
  ]);
});

test('allow major proposes 2.0.0 first; allow patch holds both', () => {
  assert.deepEqual(
    selectUpdates('1.0.0', demo, policy({ allow: 'major' }), now, 'npm').allowed.map((r) => r.version),
    ['2.0.0', '1.1.0'],
  );
  const patch = selectUpdates('1.0.0', demo, policy({ allow: 'patch' }), now, 'npm');
  assert.deepEqual(patch.allowed, []);
  assert.deepEqual(
    patch.held.map((h) => `${h.version} ${h.reason}`),
    ['2.0.0 not-allowed', '1.1.0 not-allowed'],
  );
});

test('ignored versions and ranges are held as ignored', () => {
  const out = selectUpdates('1.0.0', demo, policy({ allow: 'major', ignore: ['1.1.0', '>=2'] }), now, 'npm');
  assert.deepEqual(out.allowed, []);
  assert.deepEqual(out.held, [
    { version: '2.0.0', reason: 'ignored', detail: 'ignored by ">=2"' },
    { version: '1.1.0', reason: 'ignored', detail: 'ignored by "1.1.0"' },
  ]);
});

test('a release younger than the minimum age is held, saying its age and the minimum', () => {
  const releases = [
    rel('1.0.0'),
    rel('1.1.0'),
    rel('1.2.0', { publishedAt: '2026-12-05T07:00:00Z' }),
    rel('1.3.0', { publishedAt: undefined }),
  ];
  const out = selectUpdates('1.0.0', releases, policy({ minimumReleaseAgeMs: 3 * 86_400_000 }), now, 'npm');
  assert.deepEqual(
    out.allowed.map((r) => r.version),
    ['1.1.0'],
  );
  assert.deepEqual(out.held, [
    { version: '1.3.0', reason: 'too-young', detail: 'publish time unknown; minimum 3d' },
    { version: '1.2.0', reason: 'too-young', detail: 'published 5h ago; minimum 3d' },
  ]);
});

test('withdrawn releases and prereleases are held; prereleases: true includes the latter', () => {
  const releases = [rel('1.1.0', { withdrawn: true }), rel('1.2.0-rc.1'), rel('1.0.1')];
  const out = selectUpdates('1.0.0', releases, policy(), now, 'npm');
  assert.deepEqual(
    out.allowed.map((r) => r.version),
    ['1.0.1'],
  );
  assert.deepEqual(
    out.held.map((h) => h.reason),
    ['prerelease', 'withdrawn'],
  );
  const pre = selectUpdates('1.0.0', releases, policy({ prereleases: true }), now, 'npm');
  assert.deepEqual(
    pre.allowed.map((r) => r.version),
    ['1.2.0-rc.1', '1.0.1'],
  );
});

test('OCI: digests required hold a tag without one; the pin may carry a digest; other tags are ignored', () => {
  const d = `sha256:${'b'.repeat(64)}`;
  const tags = [rel('latest'), rel('v1.1.0', { digest: d }), rel('v1.2.0'), rel('v1.0.0')];
  const out = selectUpdates(
    `v1.0.0@sha256:${'a'.repeat(64)}`,
    tags,
    policy({ requireDigest: true }),
    now,
    'oci',
  );
  assert.deepEqual(
    out.allowed.map((r) => r.version),
    ['v1.1.0'],
  );
  assert.deepEqual(
    out.held.map((h) => `${h.version} ${h.reason}`),
    ['v1.2.0 no-digest'],
  );
});

test('PyPI ordering decides what is newer', () => {
  const out = selectUpdates(
    '1.0',
    [rel('1.0.post1'), rel('1.1rc1'), rel('1.1'), rel('1.0.dev1')],
    policy(),
    now,
    'pypi',
  );
  assert.deepEqual(
    out.allowed.map((r) => r.version),
    ['1.1', '1.0.post1'],
  );
  assert.deepEqual(
    out.held.map((h) => `${h.version} ${h.reason}`),
    ['1.1rc1 prerelease'],
  );
});

test('allow none holds everything; a pin that is not a version is an error for the caller', () => {
  assert.deepEqual(selectUpdates('1.0.0', demo, policy({ allow: 'none' }), now, 'npm').allowed, []);
  assert.throws(
    () => selectUpdates('latest', demo, policy(), now, 'npm'),
    /not a version mcp-gitops can compare for npm/,
  );
});

test('a prerelease pin may move to later prereleases of the same release, not of the next', () => {
  const releases = [rel('1.0.0-rc.2'), rel('1.0.0'), rel('1.1.0-beta.1')];
  const out = selectUpdates('1.0.0-rc.1', releases, policy(), now, 'npm');
  assert.deepEqual(
    out.allowed.map((r) => r.version),
    ['1.0.0', '1.0.0-rc.2'],
  );
  assert.deepEqual(
    out.held.map((h) => `${h.version} ${h.reason}`),
    ['1.1.0-beta.1 prerelease'],
  );
});
