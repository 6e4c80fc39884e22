/**
 * Fleet aggregates: each machine counted once (stale, pending, in sync, drifted, failing), by
 * digest with its release tag, the same bytes whatever order machines come in, a summary line
 * for commits and status, and a reader that refuses other shapes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregateFleet } from '../../../src/fleet/aggregate/aggregate.js';
import {
  aggregatePath,
  parseAggregate,
  renderAggregate,
  summarize,
} from '../../../src/fleet/aggregate/render.js';
import { machinesOf } from '../../../src/fleet/rollout/fleet-machines.js';
import { Rollouts } from '../../../src/fleet/rollout/rollouts.js';
import { digestOf, machine, machines, NOW, release, report } from '../rollout/fleet-fixtures.js';

const V1 = digestOf('1.0.0');
const V2 = digestOf('2.0.0');

function fleetAt(): { rollouts: Rollouts; fleet: ReturnType<typeof machines> } {
  const fleet = machines(20);
  const rollouts = new Rollouts();
  rollouts.release([release('1.0.0')], NOW);
  for (const m of fleet) report(m, 'laptops', V1, 'in-sync');
  rollouts.release([release('2.0.0')], NOW);
  return { rollouts, fleet };
}

test('each machine counts once: stale, pending, in sync, drifted or failing; by digest with release tags', () => {
  const { rollouts, fleet } = fleetAt();
  const matching = machinesOf(release('2.0.0'), fleet);
  const canary = fleet.find((m) => rollouts.digestFor(m, 'dev', 'laptops', matching) === V2);
  assert.ok(canary);
  const others = fleet.filter((m) => m !== canary);
  report(others[0] ?? canary, 'laptops', V1, 'drifted');
  report(others[1] ?? canary, 'laptops', V1, 'failing');
  (others[2] ?? canary).lastSeen = NOW - 2 * 3_600_000;
  report(others[3] ?? canary, 'laptops', 'not-a-digest', 'in-sync');
  fleet.push(machine('unrelated', { team: 'data' }));
  const [a] = aggregateFleet(rollouts, fleet, NOW);
  assert.deepEqual(a, {
    environment: 'dev',
    target: 'laptops',
    machines: 20,
    inSync: 15,
    drifted: 1,
    failing: 1,
    stale: 1,
    // The canary has not reported 2.0.0 yet; the machine that reported garbage has not reported 1.0.0.
    pending: 2,
    byDigest: {
      [V1.slice(0, 12)]: { release: 'dev/v1.0.0', count: 19 },
      unrecognised: { count: 1 },
    },
    rollout: { state: 'progressing', wave: 0, waves: [0.05, 0.25, 1] },
  });
  assert.equal(
    summarize(a),
    'laptops 15 in sync, 1 drifted, 1 failing, 1 stale, 2 pending; rollout at wave 0 (5%) of 5%, 25%, 100%',
  );
});

test('the file is the same bytes whatever the machine order, has no timestamps, and reads back', () => {
  const { rollouts, fleet } = fleetAt();
  const [a] = aggregateFleet(rollouts, fleet, NOW);
  const [b] = aggregateFleet(rollouts, [...fleet].reverse(), NOW + 1000);
  assert.ok(a && b);
  const text = renderAggregate(a);
  assert.equal(renderAggregate(b), text);
  assert.doesNotMatch(text, /20\d\d-\d\d-\d\dT|"(at|time|lastSeen|reportedAt)"/);
  assert.match(text, /^\{\n {2}"byDigest"/);
  assert.deepEqual(parseAggregate(text, 'x.json'), a);
  assert.equal(aggregatePath('reports/', 'dev', 'laptops'), 'reports/dev/fleet/laptops.json');
  assert.throws(
    () => parseAggregate('{', 'reports/dev/fleet/x.json'),
    /reports\/dev\/fleet\/x\.json: not a fleet aggregate \(not JSON\)/,
  );
  assert.throws(
    () => parseAggregate('{"schema":"mcp-gitops/fleet-aggregate/v1","environment":"dev","target":"x"}', 'f'),
    /machines is not a number/,
  );
});

test('a halted rollout says why in the summary', () => {
  const { rollouts, fleet } = fleetAt();
  const matching = machinesOf(release('2.0.0'), fleet);
  for (const m of fleet)
    if (rollouts.digestFor(m, 'dev', 'laptops', matching) === V2) report(m, 'laptops', V2, 'failing');
  rollouts.onReport(fleet, NOW);
  const [a] = aggregateFleet(rollouts, fleet, NOW);
  assert.ok(a);
  assert.equal(
    summarize(a),
    'laptops 19 in sync, 0 drifted, 1 failing, 0 stale; rollout halted: wave 0 (5%): 1 of 1 machine failing verification',
  );
});
