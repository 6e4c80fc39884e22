/**
 * Fleet metrics: counts per target and state (never a series per machine), the rollout's wave and
 * halt, check-ins by outcome, series of a target that left dropped, and the exposition passes the
 * real `promtool check metrics`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateFleet } from '../../src/fleet/aggregate/aggregate.js';
import { machinesOf } from '../../src/fleet/rollout/fleet-machines.js';
import { Rollouts } from '../../src/fleet/rollout/rollouts.js';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { countCheckin, createFleetMetrics, recordFleet } from '../../src/metrics/fleet-metrics.js';
import { digestOf, machines, NOW, release, report } from '../fleet/rollout/fleet-fixtures.js';
import { requireTools } from '../helpers/require-tools.js';
import { promtoolCheckMetrics, seriesOf } from './promtool.js';

requireTools('promtool');

test('fleet gauges are counts per target and state; a halted rollout is 1; promtool accepts them', async () => {
  const metrics = createMetrics();
  const fleet = createFleetMetrics(metrics.registry);
  const laptops = machines(300);
  const rollouts = new Rollouts();
  rollouts.release([release('1.0.0'), release('1.0.0', {}, 'desktops')], NOW);
  for (const m of laptops) report(m, 'laptops', digestOf('1.0.0'), 'in-sync');
  rollouts.release([release('2.0.0'), release('1.0.0', {}, 'desktops')], NOW);
  const matching = machinesOf(release('2.0.0'), laptops);
  for (const m of laptops)
    if (rollouts.digestFor(m, 'dev', 'laptops', matching) === digestOf('2.0.0'))
      report(m, 'laptops', digestOf('2.0.0'), 'failing');
  rollouts.onReport(laptops, NOW);
  recordFleet(fleet, aggregateFleet(rollouts, laptops, NOW));
  countCheckin(fleet, 'accepted');
  countCheckin(fleet, 'accepted');
  countCheckin(fleet, 'unauthorized');

  const text = await metrics.registry.metrics();
  assert.deepEqual(
    seriesOf(text, 'mcp_gitops_fleet_machines').filter((s) => s.includes('target=laptops')),
    [
      '{environment=dev,target=laptops,state=drifted} 0',
      '{environment=dev,target=laptops,state=failing} 15',
      '{environment=dev,target=laptops,state=in_sync} 285',
      '{environment=dev,target=laptops,state=pending} 0',
      '{environment=dev,target=laptops,state=stale} 0',
    ],
  );
  assert.deepEqual(seriesOf(text, 'mcp_gitops_fleet_rollout_halted'), [
    '{environment=dev,target=desktops} 0',
    '{environment=dev,target=laptops} 1',
  ]);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_fleet_rollout_wave'), [
    '{environment=dev,target=desktops} 2',
    '{environment=dev,target=laptops} 0',
  ]);
  assert.deepEqual(seriesOf(text, 'mcp_gitops_fleet_checkins_total'), [
    '{outcome=accepted} 2',
    '{outcome=not-modified} 0',
    '{outcome=rate-limited} 0',
    '{outcome=refused} 0',
    '{outcome=unauthorized} 1',
  ]);
  assert.doesNotMatch(text, /m-0\d\d/, 'no machine id in any series');
  const lint = promtoolCheckMetrics(text);
  assert.equal(lint.code, 0, lint.output);

  // desktops left the repo: its series go.
  rollouts.release([release('2.0.0')], NOW);
  recordFleet(fleet, aggregateFleet(rollouts, laptops, NOW));
  assert.doesNotMatch(await metrics.registry.metrics(), /target="desktops"/);
});
