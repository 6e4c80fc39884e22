import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAge, parseReleaseAge } from '../../../src/updates/policy/release-age.js';

test('release ages with days, hours, minutes, weeks', () => {
  assert.equal(parseReleaseAge('3d'), 3 * 86_400_000);
  assert.equal(parseReleaseAge('12h'), 12 * 3_600_000);
  assert.equal(parseReleaseAge('90m'), 90 * 60_000);
  assert.equal(parseReleaseAge('1d12h'), 36 * 3_600_000);
  assert.equal(parseReleaseAge('1w'), 7 * 86_400_000);
  assert.equal(parseReleaseAge('0'), 0);
  for (const bad of ['', '3', 'd', '3 days', '-1d', '1.5d', '3d garbage', '3y']) {
    assert.equal(parseReleaseAge(bad), undefined, bad);
  }
});

test('ages written back for people: the two largest units', () => {
  assert.equal(formatAge(3 * 86_400_000), '3d');
  assert.equal(formatAge(5 * 3_600_000 + 10 * 60_000 + 5_000), '5h 10m');
  assert.equal(formatAge(40_000), '40s');
  assert.equal(formatAge(0), '0s');
  assert.equal(formatAge(-5), '0s');
});
