/**
 * Update metrics from a run: pending per checked server (a skipped one has no series) (a server pinned per environment is pending if any
 * pin proposes), check errors, proposed versions in the `_info` series only when they look like
 * versions, pull requests by action, the last check time; servers that left are dropped; the
 * exposition passes the real `promtool check metrics`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { recordUpdates } from '../../src/metrics/record-updates.js';
import { createUpdateMetrics } from '../../src/metrics/update-metrics.js';
import { requireTools } from '../helpers/require-tools.js';
import {
  HOSTILE_VERSION,
  mixedReport,
  outcomes,
  serverUpdates,
  updatesReport,
} from '../ui/updates-fixture.js';
import { promtoolCheckMetrics, seriesOf } from './promtool.js';

requireTools('promtool');

test('a run sets pending, errors, proposed versions, PR actions and the check time; promtool accepts it', async () => {
  const metrics = createMetrics();
  const updates = createUpdateMetrics(metrics.registry);
  const report = mixedReport();
  report.servers.push(serverUpdates('fetch', { environments: ['prod'], error: 'registry answered 500' }));
  recordUpdates(updates, report, outcomes());
  const text = await metrics.registry.metrics();
  assert.deepEqual(seriesOf(text, 'mcp_gitops_updates_pending'), [
    '{server=fetch} 1',
    '{server=files} 0',
    '{server=notes} 0',
  ]);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_update_check_errors'), [
    '{server=fetch} 1',
    '{server=files} 1',
    '{server=notes} 0',
  ]);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_update_proposed_info'), ['{server=fetch,version=1.2.0} 1']);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_update_pull_requests_total'), [
    '{action=closed-before} 0',
    '{action=failed} 0',
    '{action=opened} 1',
    '{action=outside-schedule} 0',
    '{action=unchanged} 0',
    '{action=updated} 0',
  ]);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_updates_last_check_timestamp_seconds'), [
    `{} ${Date.parse('2026-12-05T12:00:00.000Z') / 1000}`,
  ]);
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.code, 0, lint.output);
});

test('the next run drops servers that left and proposals that changed; hostile text never becomes a label', async () => {
  const metrics = createMetrics();
  const updates = createUpdateMetrics(metrics.registry);
  recordUpdates(updates, mixedReport());
  recordUpdates(
    updates,
    updatesReport([
      serverUpdates('fetch', { proposed: { version: HOSTILE_VERSION, pin: HOSTILE_VERSION } }),
      serverUpdates('Bad Name"}', { proposed: { version: '1.0.1', pin: '1.0.1' } }),
    ]),
    [{ name: 'fetch', branch: 'b', action: 'unchanged', versions: [] }],
  );
  const text = await metrics.registry.metrics();
  assert.deepEqual(seriesOf(text, 'mcp_gitops_updates_pending'), ['{server=fetch} 1']);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_update_check_errors'), ['{server=fetch} 0']);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_update_proposed_info'), []);
  assert.ok(!text.includes('onerror') && !text.includes('Bad Name'), text);
  assert.ok(seriesOf(text, 'mcp_gitops_update_pull_requests_total').includes('{action=unchanged} 1'));
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.code, 0, lint.output);
});
