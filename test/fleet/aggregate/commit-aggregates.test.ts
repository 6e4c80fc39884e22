/**
 * Aggregates into a real git repo: one commit per changed target file with the reconciler's
 * author and trailer, nothing when the text is unchanged, what the user staged stays out, and a
 * fleet target that left the repo has its file removed.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { FleetAggregate } from '../../../src/fleet/aggregate/aggregate.js';
import { commitAggregates } from '../../../src/fleet/aggregate/commit-aggregates.js';
import { openRepo } from '../../../src/git/open-repo.js';
import { createTempRepo } from '../../helpers/temp-repo.js';

const author = { name: 'mcp-gitops', email: 'mcp-gitops@users.noreply.local' };
const repos: { cleanup(): void }[] = [];
after(() => {
  for (const r of repos) r.cleanup();
});

function aggregate(target: string, counts: Partial<FleetAggregate> = {}): FleetAggregate {
  return {
    environment: 'dev',
    target,
    machines: 3,
    inSync: 3,
    drifted: 0,
    failing: 0,
    stale: 0,
    pending: 0,
    byDigest: { '0123456789ab': { release: 'dev/v1.0.0', count: 3 } },
    rollout: { state: 'complete', wave: 0, waves: [1] },
    ...counts,
  };
}

test('a changed aggregate is one commit with author and trailer; an unchanged one commits nothing', async () => {
  const t = createTempRepo();
  repos.push(t);
  t.write('mcp-gitops.yaml', 'kind: Repository\n');
  t.commitAll('config');
  const repo = await openRepo(t.dir);
  const input = { repo, reportsDir: 'reports', author };

  const first = await commitAggregates({
    ...input,
    aggregates: [aggregate('laptops'), aggregate('desktops')],
  });
  assert.deepEqual(
    first.map((c) => c.path),
    ['reports/dev/fleet/desktops.json', 'reports/dev/fleet/laptops.json'],
  );
  assert.equal(t.git('log', '-1', '--format=%an <%ae>'), 'mcp-gitops <mcp-gitops@users.noreply.local>');
  assert.equal(
    t.git('log', '-1', '--format=%B'),
    'fleet(dev): laptops 3 in sync, 0 drifted, 0 failing, 0 stale\n\nMcp-Gitops-Report: true',
  );
  const count = () => Number(t.git('rev-list', '--count', 'HEAD'));
  assert.equal(count(), 3);

  // The user has something staged: it is neither committed nor unstaged.
  t.write('servers/x.yaml', 'kind: Server\n');
  t.git('add', 'servers/x.yaml');
  assert.deepEqual(
    await commitAggregates({ ...input, aggregates: [aggregate('laptops'), aggregate('desktops')] }),
    [],
  );
  assert.equal(count(), 3);

  const halted = aggregate('laptops', {
    inSync: 2,
    failing: 1,
    rollout: {
      state: 'halted',
      wave: 0,
      waves: [0.05, 1],
      reason: 'wave 0 (5%): 1 of 1 machine failing verification',
    },
  });
  const [c] = await commitAggregates({ ...input, aggregates: [halted, aggregate('desktops')] });
  assert.equal(count(), 4);
  assert.equal(
    c?.message.split('\n')[0],
    'fleet(dev): laptops 2 in sync, 0 drifted, 1 failing, 0 stale; rollout halted: wave 0 (5%): 1 of 1 machine failing verification',
  );
  assert.deepEqual(t.git('show', '--name-only', '--format=', 'HEAD').split('\n'), [
    'reports/dev/fleet/laptops.json',
  ]);
  assert.equal(t.git('diff', '--cached', '--name-only'), 'servers/x.yaml');
  assert.match(t.git('show', 'HEAD:reports/dev/fleet/laptops.json'), /"failing": 1/);

  // desktops left the repo: its file goes, in its own commit; other environments are not touched.
  const removed = await commitAggregates({ ...input, aggregates: [halted], environments: ['dev', 'prod'] });
  assert.deepEqual(
    removed.map((r) => r.message.split('\n')[0]),
    ['fleet(dev): desktops is no longer a fleet target'],
  );
  assert.equal(t.git('ls-tree', '-r', '--name-only', 'HEAD', 'reports'), 'reports/dev/fleet/laptops.json');
});
