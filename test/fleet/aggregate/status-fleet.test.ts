/**
 * `mcp-gitops status` (the real CLI) shows the fleet section from committed aggregates, and the
 * readers of target reports (status, retired targets, recheck) never take a file under
 * `reports/<env>/fleet/` for a target report.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { findRetiredTargets } from '../../../src/engine/find-retired-targets.js';
import { readReportsAt } from '../../../src/engine/write-reports.js';
import type { FleetAggregate } from '../../../src/fleet/aggregate/aggregate.js';
import { commitAggregates } from '../../../src/fleet/aggregate/commit-aggregates.js';
import { openRepo } from '../../../src/git/open-repo.js';
import { cliRunner } from '../../helpers/cli.js';
import { desiredState } from '../../helpers/desired-state.js';
import { createTempRepo } from '../../helpers/temp-repo.js';

const t = createTempRepo();
after(() => t.cleanup());

const laptops: FleetAggregate = {
  environment: 'dev',
  target: 'laptops',
  machines: 20,
  inSync: 18,
  drifted: 0,
  failing: 1,
  stale: 1,
  pending: 0,
  byDigest: {
    '0123456789ab': { release: 'dev/v1.0.0', count: 18 },
    ba9876543210: { release: 'dev/v1.1.0', count: 1 },
  },
  rollout: {
    state: 'halted',
    wave: 0,
    waves: [0.05, 0.25, 1],
    reason: 'wave 0 (5%): 1 of 1 machine failing verification',
  },
};

test('status prints the fleet section; report readers ignore reports/<env>/fleet/', async () => {
  t.write(
    'mcp-gitops.yaml',
    'apiVersion: mcp-gitops/v1\nkind: Repository\nmetadata: { name: fleet-status }\nspec: { branch: main }\n',
  );
  t.commitAll('config');
  const repo = await openRepo(t.dir);
  const author = { name: 'mcp-gitops', email: 'mcp-gitops@users.noreply.local' };
  await commitAggregates({ repo, reportsDir: 'reports', author, aggregates: [laptops] });

  const mcp = cliRunner({});
  const text = await mcp.run(['--repo', t.dir, 'status']);
  assert.equal(text.code, 0, text.stderr);
  const head = t.git('rev-parse', 'HEAD').slice(0, 12);
  assert.match(text.stdout, new RegExp(`^dev: as of ${head} \\(\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\)$`, 'm'));
  assert.ok(
    text.stdout.includes(
      [
        'dev/laptops [fleet, 20 machines]: 18 in sync, 0 drifted, 1 failing, 1 stale',
        '  rollout HALTED: wave 0 (5%): 1 of 1 machine failing verification (waves 5%, 25%, 100%)',
        '  dev/v1.0.0 (0123456789ab): 18 machines',
        '  dev/v1.1.0 (ba9876543210): 1 machine',
      ].join('\n'),
    ),
    text.stdout,
  );
  assert.doesNotMatch(text.stdout, /No reports committed/);

  const json = await mcp.run(['--repo', t.dir, 'status', '--env', 'dev', '--format', 'json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual((JSON.parse(json.stdout) as { fleet: FleetAggregate[] }).fleet, [laptops]);
  const other = await mcp.run(['--repo', t.dir, 'status', '--env', 'prod']);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /environments with reports: dev/);

  // Neither the target-report reader nor retired-target detection sees the aggregate.
  assert.equal((await readReportsAt(repo, 'HEAD', 'reports')).size, 0);
  const desired = desiredState({});
  assert.deepEqual(await findRetiredTargets({ repo, desired }), []);
});
