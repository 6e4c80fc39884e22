/** Which tags the OCI source looks at closely: versions newer than the pin, the likely proposals first. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateTags, cleanTags, tagVersion } from '../../../src/updates/sources/oci-tags.js';

test('tags read as versions: v-prefixed, short, prerelease; others are not versions', () => {
  assert.equal(tagVersion('1.2.3'), '1.2.3');
  assert.equal(tagVersion('v1.2.3'), '1.2.3');
  assert.equal(tagVersion('1.2'), '1.2.0');
  assert.equal(tagVersion('v2'), '2.0.0');
  assert.equal(tagVersion('1.3.0-rc.1'), '1.3.0-rc.1');
  for (const tag of ['latest', 'main', 'sha-0a1b2c', '1.2.3.4', 'x1.2', '1.2.3_4'])
    assert.equal(tagVersion(tag), undefined, tag);
});

test('cleanTags keeps well formed tags once, in order', () => {
  assert.deepEqual(cleanTags(['1.0.0', 'latest', '1.0.0', '<b>', 'a b', 3, null, '-x', 'v1']), [
    '1.0.0',
    'latest',
    'v1',
  ]);
});

test('candidates: newer only, the stable newest of the minor and major line first, then newest first', () => {
  const tags = [
    '1.2.3',
    '1.2.4',
    '1.2.5',
    '1.3.0',
    '1.4.0',
    '2.0.0',
    '3.0.0',
    '4.0.0',
    '5.0.0-rc.1',
    'latest',
    'v1.1.0',
  ];
  assert.deepEqual(candidateTags(tags, '1.2.3', 3), ['1.2.5', '1.4.0', '4.0.0']);
  assert.deepEqual(candidateTags(tags, '1.2.3', 6), [
    '1.2.5',
    '1.4.0',
    '4.0.0',
    '5.0.0-rc.1',
    '3.0.0',
    '2.0.0',
  ]);
  assert.deepEqual(candidateTags(tags, '4.0.0', 10), ['5.0.0-rc.1']);
  assert.deepEqual(candidateTags(tags, undefined, 2), ['4.0.0', '5.0.0-rc.1']);
  assert.deepEqual(candidateTags(tags, 'latest', 2), ['4.0.0', '5.0.0-rc.1']);
});
