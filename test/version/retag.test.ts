import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextFreeTag, recordedBump, retagMessage, splitVersionTag } from '../../src/version/retag.js';

describe('renaming a release tag someone else took', () => {
  test('a release tag is a prefix and a version at the end', () => {
    assert.deepEqual(splitVersionTag('dev/v1.12.3'), { prefix: 'dev/v', version: '1.12.3' });
    assert.deepEqual(splitVersionTag('release-2-1.0.0'), { prefix: 'release-2-', version: '1.0.0' });
    assert.equal(splitVersionTag('notes'), undefined);
    assert.equal(splitVersionTag('dev/v1.2'), undefined);
    assert.equal(splitVersionTag('dev/v1.2.3-rc.1'), undefined);
  });

  test('the bump is the one the tag recorded; a first release counts as minor', () => {
    assert.equal(
      recordedBump('dev 1.2.1: 1 changed, 0 drifted\n\npatch: memory on laptop updated\n'),
      'patch',
    );
    assert.equal(recordedBump('dev 2.0.0: 1 changed\n\nmajor: server old on laptop removed\n'), 'major');
    assert.equal(recordedBump('dev 1.0.0: 1 changed\n\nmajor: first release of dev\n'), 'minor');
    assert.equal(recordedBump('made by hand'), 'patch');
  });

  test('the next free version after the highest of the prefix, by the same bump', () => {
    const known = ['dev/v1.1.1', 'dev/v1.1.2', 'prod/v9.0.0', 'dev/v1.1.0'];
    assert.equal(nextFreeTag('dev/v1.1.2', 'patch', known), 'dev/v1.1.3');
    assert.equal(nextFreeTag('dev/v1.2.0', 'minor', [...known, 'dev/v1.2.0']), 'dev/v1.3.0');
    // Local pending releases count too: the name never lands below or on one of them.
    assert.equal(nextFreeTag('dev/v1.1.2', 'patch', [...known, 'dev/v1.1.4']), 'dev/v1.1.5');
    assert.equal(nextFreeTag('notes', 'patch', known), undefined);
  });

  test('the renamed message carries the new version and why', () => {
    const message = 'dev 1.1.2: 1 changed, 0 drifted\n\npatch: memory on laptop updated\nrevision: abc\n';
    assert.equal(
      retagMessage(message, 'dev/v1.1.2', 'dev/v1.1.3', 'existed on the remote at another commit'),
      'dev 1.1.3: 1 changed, 0 drifted\n\npatch: memory on laptop updated\nrevision: abc\n' +
        'retagged: dev/v1.1.2 existed on the remote at another commit; this release is dev/v1.1.3\n',
    );
  });
});
