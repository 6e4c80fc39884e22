/**
 * The debounced aggregator over real git: 1,000 simulated check-ins that change nothing make no
 * commit after the first; one machine turning failing makes exactly one; a burst of check-ins is
 * one computation.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { aggregateFleet } from '../../../src/fleet/aggregate/aggregate.js';
import { Aggregator } from '../../../src/fleet/aggregate/aggregator.js';
import { commitAggregates } from '../../../src/fleet/aggregate/commit-aggregates.js';
import { Rollouts } from '../../../src/fleet/rollout/rollouts.js';
import { openRepo } from '../../../src/git/open-repo.js';
import { createTempRepo } from '../../helpers/temp-repo.js';
import { digestOf, machines, NOW, release, report } from '../rollout/fleet-fixtures.js';

const t = createTempRepo();
after(() => t.cleanup());

test('1,000 check-ins without change make no commit after the first; one machine failing makes one', async () => {
  t.write('mcp-gitops.yaml', 'kind: Repository\n');
  t.commitAll('config');
  const repo = await openRepo(t.dir);
  const fleet = machines(100);
  const rollouts = new Rollouts();
  rollouts.release([release('1.0.0')], NOW);
  let now = NOW;
  let computations = 0;
  let commitCalls = 0;
  const aggregator = new Aggregator({
    debounceMs: 20,
    recheckEveryMs: 0,
    compute: () => {
      computations++;
      return aggregateFleet(rollouts, fleet, now);
    },
    commit: async (aggregates) => {
      commitCalls++;
      await commitAggregates({
        repo,
        reportsDir: 'reports',
        author: { name: 'mcp-gitops', email: 'm@x' },
        aggregates,
      });
    },
    onError: (err) => assert.fail(String(err)),
  });
  const commits = () => Number(t.git('rev-list', '--count', 'HEAD'));
  const checkIns = async (n: number, state: (i: number) => 'in-sync' | 'failing' = () => 'in-sync') => {
    for (let i = 0; i < n; i++) {
      now += 60; // 1,000 check-ins a minute
      const m = fleet[i % fleet.length];
      assert.ok(m);
      report(m, 'laptops', digestOf('1.0.0'), state(i), now);
      aggregator.reported();
      if (i % 100 === 99) await aggregator.idle();
    }
    await aggregator.idle();
  };

  await checkIns(100);
  assert.equal(commits(), 2, 'the first aggregate is committed');
  const computedBefore = computations;
  await checkIns(1000);
  assert.equal(commits(), 2, 'no commit for check-ins that change nothing');
  assert.equal(commitCalls, 1, 'the commit callback is not even called');
  assert.ok(
    computations - computedBefore <= 11,
    `bursts coalesce (${computations - computedBefore} computations)`,
  );

  await checkIns(1, () => 'failing');
  assert.equal(commits(), 3, 'one machine failing: one commit');
  assert.match(
    t.git('log', '-1', '--format=%s'),
    /^fleet\(dev\): laptops 99 in sync, 0 drifted, 1 failing, 0 stale$/,
  );
  await checkIns(200, (i) => (i === 0 ? 'failing' : 'in-sync'));
  // Machine 0 reports failing again (no change), then in sync a round later: one commit, back to 100 in sync.
  assert.equal(commits(), 4);
  await aggregator.close();
});
