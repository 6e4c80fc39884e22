import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allowsBump,
  bumpOf,
  compareParsed,
  ignoreMatches,
  isIgnoreEntry,
  type ParsedVersion,
  parseVersion,
  splitPin,
} from '../../../src/updates/policy/versions.js';
import type { SourceKind } from '../../../src/updates/types.js';

const p = (kind: SourceKind, text: string): ParsedVersion => {
  const v = parseVersion(kind, text);
  assert.ok(v, `${kind} ${text} parses`);
  return v;
};
const sorted = (kind: SourceKind, list: string[]) =>
  list
    .map((t) => p(kind, t))
    .sort(compareParsed)
    .map((v) => v.text);

test('npm versions are semver, ordered with prereleases before their release', () => {
  assert.deepEqual(sorted('npm', ['1.10.0', '1.2.0', '1.2.0-rc.1', '1.2.0-beta.2', '0.9.9']), [
    '0.9.9',
    '1.2.0-beta.2',
    '1.2.0-rc.1',
    '1.2.0',
    '1.10.0',
  ]);
  assert.equal(p('npm', '1.2.0-rc.1').prerelease, true);
  for (const bad of ['latest', '1.2', '^1.2.0', '1.2.3.4', ''])
    assert.equal(parseVersion('npm', bad), undefined, bad);
});

test('PyPI versions follow PEP 440: dev < a < b < rc < final < post', () => {
  assert.deepEqual(
    sorted('pypi', ['1.0.post1', '1.0', '1.0rc1', '1.0b2', '1.0a1', '1.0.dev3', '0.9', '1.0.1', '1!0.1']),
    ['0.9', '1.0.dev3', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0.post1', '1.0.1', '1!0.1'],
  );
  assert.equal(p('pypi', '2.0rc1').prerelease, true);
  assert.equal(p('pypi', '2.0.dev1').prerelease, true);
  assert.equal(p('pypi', '2.0.post1').prerelease, false);
  assert.equal(compareParsed(p('pypi', '1.0'), p('pypi', '1.0.0')), 0);
  assert.equal(parseVersion('pypi', 'one'), undefined);
});

test('OCI tags: semver-like with optional v; other tags are not versions; pins carry digests', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(sorted('oci', ['v1.10', '1.2.3', 'v1.2.4-rc.1', '1']), [
    '1',
    '1.2.3',
    'v1.2.4-rc.1',
    'v1.10',
  ]);
  assert.equal(p('oci', `1.2.3@${digest}`).text, '1.2.3');
  for (const bad of ['latest', 'alpine', '1.2.3-alpine!', digest])
    assert.equal(parseVersion('oci', bad), undefined, bad);
  assert.deepEqual(splitPin(`1.2.3@${digest}`), { tag: '1.2.3', digest });
  assert.deepEqual(splitPin(digest), { digest });
  assert.deepEqual(splitPin('1.2.3'), { tag: '1.2.3' });
});

test('bumps and what each allow value accepts', () => {
  assert.equal(bumpOf(p('npm', '1.0.0'), p('npm', '2.0.0')), 'major');
  assert.equal(bumpOf(p('npm', '1.0.0'), p('npm', '1.1.0')), 'minor');
  assert.equal(bumpOf(p('npm', '1.0.0'), p('npm', '1.0.1')), 'patch');
  assert.equal(bumpOf(p('pypi', '1.0'), p('pypi', '1.0.post1')), 'patch');
  assert.equal(allowsBump('minor', 'patch'), true);
  assert.equal(allowsBump('minor', 'major'), false);
  assert.equal(allowsBump('none', 'patch'), false);
  assert.equal(allowsBump('major', 'major'), true);
});

test('ignore entries: exact versions and semver ranges', () => {
  assert.equal(ignoreMatches('1.1.0', p('npm', '1.1.0')), true);
  assert.equal(ignoreMatches('1.1.0', p('npm', '1.1.1')), false);
  assert.equal(ignoreMatches('>=3 <3.2', p('npm', '3.1.9')), true);
  assert.equal(ignoreMatches('>=3 <3.2', p('npm', '3.2.0')), false);
  assert.equal(ignoreMatches('2.x', p('oci', 'v2.4')), true);
  assert.equal(ignoreMatches('2.0', p('pypi', '2.0')), true);
  assert.equal(ignoreMatches('<2', p('pypi', '1.5')), true);
  assert.equal(ignoreMatches('1.0.0', p('pypi', '1.0.post1')), false);
  assert.equal(ignoreMatches('1.0.post1', p('pypi', '1.0.post1')), true);
  assert.equal(ignoreMatches('1.2.3', p('pypi', '1.2.3.4')), false);
  for (const ok of ['1.1.0', '>=3 <3.2', '2.x', '^1.2.0', 'v1.2', '1.0rc1'])
    assert.equal(isIgnoreEntry(ok), true, ok);
  for (const bad of ['latest', '', '*', 'not a range', '>=banana'])
    assert.equal(isIgnoreEntry(bad), false, bad);
});
