/**
 * `mcp-gitops fleet token create|revoke|list` through the real CLI, against a real hub's state
 * folder: a printed token enrols once over HTTP, revoke cuts the machine off at its next request,
 * list shows machines with their reports, filters, escapes a hostile hostname and speaks JSON.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { FLEET_PATHS, type SignedBundle } from '../../../src/fleet/protocol.js';
import { cliRunner } from '../../helpers/cli.js';
import { type Agent, enroll, FACTS, type Hub, signedFetch, startHub } from './hub-harness.js';

let hub: Hub;
const cli = cliRunner({});
const run = (...args: string[]) => cli.run([...args, '--state-dir', hub.stateDir], 60_000);

before(async () => {
  hub = await startHub({ flushEveryMs: 0 });
});
after(() => hub.close());

async function reportFor(agent: Agent, state: 'in-sync' | 'drifted'): Promise<void> {
  const pulled = (await (await signedFetch(hub, agent, 'GET', FLEET_PATHS.bundle)).json()) as SignedBundle;
  const target = pulled.bundle.targets[0]!;
  const body = {
    schema: 'mcp-gitops/fleet-report/v1',
    machineId: agent.machineId,
    revision: pulled.bundle.revision,
    targets: [
      {
        target: target.name,
        digest: target.digest,
        state,
        servers: [
          {
            name: 'memory',
            specHash: 'f'.repeat(64),
            outcome: 'unchanged',
            health: state === 'drifted' ? 'unhealthy' : 'healthy',
          },
        ],
        drift: state === 'drifted' ? [{ server: 'memory\u0007', paths: ['args'] }] : [],
      },
    ],
    facts: { ...FACTS, hostname: 'evil\u001b[2J\nhost' },
  };
  const res = await signedFetch(hub, agent, 'POST', FLEET_PATHS.report, JSON.stringify(body));
  assert.equal(res.status, 204);
  hub.hub.store.flush();
}

test('token create prints only a token, which enrols exactly once', async () => {
  const made = await run(
    'fleet',
    'token',
    'create',
    '--env',
    'dev',
    '--labels',
    'team=platform,site=berlin',
    '--ttl',
    '1h',
  );
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /^mcpg_enroll_[A-Za-z0-9_-]{43}\n$/);
  const token = made.stdout.trim();
  const first = await enroll(hub, token);
  assert.equal(first.status, 200);
  assert.deepEqual(first.agent?.enrolled.labels, {
    team: 'platform',
    site: 'berlin',
    os: 'darwin',
    arch: 'arm64',
  });
  assert.equal((await enroll(hub, token)).status, 401);
  const tokenFiles = fs.readdirSync(path.join(hub.fleetDir, 'tokens'));
  assert.deepEqual(tokenFiles, []);
});

test('token create refuses bad labels, built-in labels and bad durations', async () => {
  for (const args of [
    ['--labels', 'team'],
    ['--labels', 'os=linux'],
    ['--labels', 'a=b;rm -rf'],
    ['--ttl', 'soon'],
    ['--env', '../prod'],
  ]) {
    const r = await run('fleet', 'token', 'create', '--env', 'dev', ...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.equal(r.stdout, '');
  }
});

test('list shows machines and their reported state; --drifted, --stale, --env and JSON', async () => {
  const synced = (await enroll(hub, hub.token())).agent!;
  const drifted = (await enroll(hub, hub.token())).agent!;
  const prod = (await enroll(hub, hub.token({ environment: 'prod' }))).agent!;
  await reportFor(synced, 'in-sync');
  await reportFor(drifted, 'drifted');

  const all = await run('fleet', 'list');
  assert.equal(all.code, 0, all.stderr);
  const lines = all.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^MACHINE\s+HOSTNAME\s+ENV\s+LABELS\s+LAST SEEN\s+TARGETS$/);
  const row = lines.find((l) => l.startsWith(drifted.machineId))!;
  assert.match(row, /evil\\u001b\[2J\\nhost/, 'hostile hostname escaped on one line');
  assert.match(row, /\bdev\b.*arch=arm64,os=darwin,team=platform/);
  assert.match(row, /\d+s ago/);
  assert.match(row, /laptops: drifted [0-9a-f]{12} \(drift: memory\\u0007; unhealthy: memory\)$/);
  assert.match(lines.find((l) => l.startsWith(synced.machineId))!, /laptops: in-sync [0-9a-f]{12}$/);
  assert.ok(!all.stdout.includes('\u001b'), 'no raw escape reaches the terminal');
  assert.ok(lines.some((l) => l.startsWith(prod.machineId)));

  const onlyDrifted = await run('fleet', 'list', '--drifted', '--format', 'json');
  const rows = JSON.parse(onlyDrifted.stdout) as {
    machineId: string;
    targets: { state: string; digest: string }[];
  }[];
  assert.deepEqual(
    rows.map((r) => r.machineId),
    [drifted.machineId],
  );
  assert.equal(rows[0]?.targets[0]?.state, 'drifted');
  assert.match(rows[0]?.targets[0]?.digest ?? '', /^[0-9a-f]{64}$/);

  const prodOnly = JSON.parse(
    (await run('fleet', 'list', '--env', 'prod', '--format', 'json')).stdout,
  ) as unknown[];
  assert.equal(prodOnly.length, 1);
  const none = await run('fleet', 'list', '--stale');
  assert.equal(none.stdout, 'No machines match.\n', 'everyone was just seen');
  const stale = JSON.parse(
    (await run('fleet', 'list', '--stale', '--stale-after', '1ms', '--format', 'json')).stdout,
  ) as unknown[];
  assert.ok(stale.length >= 3);
});

test('revoke cuts a machine off at its next request and list says so; an unknown id is an error', async () => {
  const agent = (await enroll(hub, hub.token())).agent!;
  assert.equal((await signedFetch(hub, agent, 'GET', FLEET_PATHS.bundle)).status, 200);
  const revoked = await run('fleet', 'revoke', agent.machineId);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stdout, new RegExp(`^revoked ${agent.machineId} \\(laptop-1\\)`));
  assert.equal((await signedFetch(hub, agent, 'GET', FLEET_PATHS.bundle)).status, 403);
  const listed = await run('fleet', 'list');
  assert.match(listed.stdout.split('\n').find((l) => l.startsWith(agent.machineId)) ?? '', /\brevoked\b/);

  const unknown = await run('fleet', 'revoke', `m-${'f'.repeat(24)}`);
  assert.equal(unknown.code, 1);
  const traversal = await run('fleet', 'revoke', '../../hub-key.pem');
  assert.equal(traversal.code, 1);
  assert.ok(fs.existsSync(path.join(hub.fleetDir, 'hub-key.pem')));
});
