/**
 * serve's update flags (pure parsing): off by default and with `0`, a duration of at least 1s,
 * and `--updates-open-prs` only with an interval, each mistake a usage error that says what to do.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { updatesSettings } from '../../src/cli/commands/serve-options.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { createUpdateMetrics } from '../../src/metrics/update-metrics.js';

const metrics = () => createUpdateMetrics(createMetrics().registry);

test('--updates-interval and --updates-open-prs', () => {
  assert.deepEqual(updatesSettings({}, metrics), {});
  assert.deepEqual(updatesSettings({ updatesInterval: '0' }, metrics), {});
  const on = updatesSettings({ updatesInterval: '6h', updatesOpenPrs: true }, metrics).updates;
  assert.equal(on?.intervalMs, 6 * 3_600_000);
  assert.equal(on?.openPullRequests, true);
  assert.ok(on?.metrics);
  assert.equal(updatesSettings({ updatesInterval: '30m' }, metrics).updates?.openPullRequests, false);
  assert.throws(() => updatesSettings({ updatesOpenPrs: true }, metrics), {
    code: 'ERR_USAGE',
    message: /--updates-open-prs needs --updates-interval/,
  });
  assert.throws(() => updatesSettings({ updatesInterval: '500ms' }, metrics), {
    code: 'ERR_USAGE',
    message: /shorter than 1s/,
  });
  assert.throws(() => updatesSettings({ updatesInterval: 'often' }, metrics), { code: 'ERR_USAGE' });
});
