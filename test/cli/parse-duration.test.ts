import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../src/cli/parse-duration.js';
import { McpGitopsError } from '../../src/core/errors.js';

test('durations with units become milliseconds', () => {
  assert.equal(parseDuration('500ms', '--debounce'), 500);
  assert.equal(parseDuration('30s', '--interval'), 30_000);
  assert.equal(parseDuration('5m', '--interval'), 300_000);
  assert.equal(parseDuration('1h', '--interval'), 3_600_000);
  assert.equal(parseDuration('1m30s', '--interval'), 90_000);
  assert.equal(parseDuration('1.5s', '--interval'), 1_500);
});

test('anything else is a usage error naming the option, with a hint', () => {
  for (const bad of ['', '5', 'm', '5 minutes', '0s', '-1s', '5m garbage']) {
    assert.throws(
      () => parseDuration(bad, '--interval'),
      (err: unknown) =>
        err instanceof McpGitopsError &&
        err.code === 'ERR_USAGE' &&
        err.message === `--interval ${bad}: not a duration` &&
        /500ms, 30s, 5m, 1h/.test(err.hint ?? ''),
      bad,
    );
  }
});
