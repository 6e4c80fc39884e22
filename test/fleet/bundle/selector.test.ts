/** matchesSelector: matchLabels semantics over a machine's labels (enrolment labels + os/arch). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesSelector, targetSelector } from '../../../src/fleet/bundle/selector.js';

const mac = { team: 'platform', os: 'darwin', arch: 'arm64' };

describe('matchesSelector', () => {
  test('every key must be equal', () => {
    assert.equal(matchesSelector({ team: 'platform', os: 'darwin' }, mac), true);
    assert.equal(matchesSelector({ team: 'platform', os: 'linux' }, mac), false);
    assert.equal(
      matchesSelector({ team: 'platform', region: 'eu' }, mac),
      false,
      'a missing label never matches',
    );
    assert.equal(matchesSelector({ team: 'Platform' }, mac), false, 'values are compared exactly');
  });

  test('an empty or absent selector matches every machine', () => {
    assert.equal(matchesSelector({}, mac), true);
    assert.equal(matchesSelector(undefined, {}), true);
  });

  test('inherited object keys are not labels', () => {
    const selector = JSON.parse('{"constructor":"x"}') as Record<string, string>;
    assert.equal(matchesSelector(selector, mac), false);
    assert.equal(matchesSelector({ toString: '' } as Record<string, string>, {}), false);
  });
});

describe('targetSelector', () => {
  test('reads the selector from settings, {} when absent or not a map', () => {
    assert.deepEqual(targetSelector({ selector: { team: 'platform' } }), { team: 'platform' });
    assert.deepEqual(targetSelector({}), {});
    assert.deepEqual(targetSelector({ selector: ['team'] }), {});
  });
});
