/**
 * The fleet as serve runs it, over real HTTP: a reconcile event releases the environment's fleet
 * targets, enrolled machines matching the selector pull them signed, reports reach the rollout
 * and the aggregates (committed only when they change), a new revision goes out in waves, and the
 * rollout state survives a restart of the hub.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { DesiredState, DesiredTarget } from '../../../src/core/state.js';
import type { FleetAggregate } from '../../../src/fleet/aggregate/aggregate.js';
import { fleetDirOf } from '../../../src/fleet/hub/create-fleet-hub.js';
import { createServeFleet, type ServeFleet } from '../../../src/fleet/hub/serve-fleet.js';
import { createToken } from '../../../src/fleet/hub/tokens.js';
import { FLEET_PATHS, type SignedBundle } from '../../../src/fleet/protocol.js';
import { verifyBundle } from '../../../src/fleet/signing.js';
import { createLogger } from '../../../src/log/logger.js';
import { createServeApp, type ServeApp } from '../../../src/serve/create-serve-app.js';
import type { ReconcileEvent } from '../../../src/serve/types.js';
import { desiredState, server } from '../../helpers/desired-state.js';
import { type Agent, enroll, FACTS, type Hub, signedFetch } from './hub-harness.js';

function desiredWithFleet(version: string): DesiredState {
  const state = desiredState({});
  const env = state.environments[0]!;
  const laptops: DesiredTarget = {
    environment: 'dev',
    name: 'laptops',
    provider: 'client-config',
    host: 'fleet',
    settings: {
      name: 'laptops',
      provider: 'client-config',
      host: 'fleet',
      clients: ['cursor'],
      selector: { team: 'platform' },
      rollout: { waves: ['50%', '100%'], pauseOnFailure: true, minHealthy: '100%' },
    } as DesiredTarget['settings'],
    servers: [server('memory', { command: { path: 'node', args: [`memory-${version}.js`] } })],
  };
  env.fleet = [laptops];
  return state;
}

function event(revision: string, desired: DesiredState): ReconcileEvent {
  return {
    environment: 'dev',
    trigger: 'push',
    revision,
    result: { desired, tags: [], dryRun: false } as unknown as ReconcileEvent['result'],
    durationSeconds: 0,
    finishedAt: Date.now(),
  };
}

let stateDir: string;
let fleet: ServeFleet;
let app: ServeApp;
let hub: Hub;
const committed: FleetAggregate[][] = [];

async function start(): Promise<void> {
  const logger = createLogger({ level: 'silent' });
  fleet = createServeFleet({
    stateDir,
    logger,
    staleAfterMs: 3_600_000,
    aggregateDebounceMs: 10,
    commitAggregates: async (list) => {
      committed.push(list);
    },
  });
  app = createServeApp({ logger, routes: fleet.hub.extension.routes });
  const bound = await app.listen('127.0.0.1', 0);
  hub = { url: bound.url, stateDir, fleetDir: fleetDirOf(stateDir) } as Hub;
}

async function stop(): Promise<void> {
  await fleet.stop();
  await app.close();
  app.server.closeAllConnections();
}

before(async () => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-fleet-'));
  await start();
});
after(async () => {
  await stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const token = (labels: Record<string, string>) =>
  createToken(fleetDirOf(stateDir), { environment: 'dev', labels, expiresAt: Date.now() + 60_000 });

async function pull(agent: Agent): Promise<{ status: number; signed?: SignedBundle }> {
  const res = await signedFetch(hub, agent, 'GET', FLEET_PATHS.bundle);
  return res.status === 200
    ? { status: 200, signed: (await res.json()) as SignedBundle }
    : { status: res.status };
}

async function reportInSync(agent: Agent, signed: SignedBundle): Promise<void> {
  const t = signed.bundle.targets[0]!;
  const body = {
    schema: 'mcp-gitops/fleet-report/v1',
    machineId: agent.machineId,
    revision: signed.bundle.revision,
    targets: [{ target: t.name, digest: t.digest, state: 'in-sync', servers: [], drift: [] }],
    facts: FACTS,
  };
  const res = await signedFetch(hub, agent, 'POST', FLEET_PATHS.report, JSON.stringify(body));
  assert.equal(res.status, 204);
}

const agents: Agent[] = [];

test('a reconcile releases the fleet target; matching machines pull it signed, others get 404', async () => {
  fleet.extension.observer!.reconciled!(event('1'.repeat(40), desiredWithFleet('v1')));
  for (let i = 0; i < 4; i++) agents.push((await enroll(hub, token({ team: 'platform' }))).agent!);
  const outsider = (await enroll(hub, token({ team: 'sales' }))).agent!;
  for (const a of agents) {
    const { status, signed } = await pull(a);
    assert.equal(status, 200);
    assert.ok(verifyBundle(signed!, a.enrolled.hubPublicKey));
    assert.equal(signed!.bundle.targets[0]?.name, 'laptops');
    assert.equal(signed!.bundle.revision, '1'.repeat(40));
    assert.equal((signed!.bundle.targets[0]!.settings as { selector?: unknown }).selector, undefined);
    await reportInSync(a, signed!);
  }
  assert.equal((await pull(outsider)).status, 404);
  await fleet.idle();
  const last = committed.at(-1)!;
  assert.equal(last[0]?.inSync, 4);
  assert.equal(last[0]?.rollout.state, 'complete');
  const commits = committed.length;
  // The same reports again change no aggregate: nothing more is committed.
  for (const a of agents) await reportInSync(a, (await pull(a)).signed!);
  await fleet.idle();
  assert.equal(committed.length, commits);
});

test('a new revision goes out in waves, and the rollout survives a hub restart', async () => {
  fleet.extension.observer!.reconciled!(event('2'.repeat(40), desiredWithFleet('v2')));
  const digests = new Map<string, string>();
  for (const a of agents) digests.set(a.machineId, (await pull(a)).signed!.bundle.targets[0]!.digest);
  const counts = [...new Set(digests.values())].map(
    (d) => [...digests.values()].filter((x) => x === d).length,
  );
  assert.deepEqual(counts.sort(), [2, 2], 'half the machines (wave 1 of 50%) get the new digest');
  assert.equal(fleet.rollouts().status()[0]?.state, 'progressing');

  await stop();
  await start();
  assert.equal(fleet.rollouts().status()[0]?.state, 'progressing', 'restored from the hub state');
  const again = new Map<string, string>();
  for (const a of agents) again.set(a.machineId, (await pull(a)).signed!.bundle.targets[0]!.digest);
  assert.deepEqual(again, digests, 'the same machines keep the same digests');

  // The first wave reports the new digest in sync: the rollout advances to everyone.
  for (const a of agents) {
    const { signed } = await pull(a);
    await reportInSync(a, signed!);
  }
  await fleet.idle();
  const final = new Set<string>();
  for (const a of agents) final.add((await pull(a)).signed!.bundle.targets[0]!.digest);
  assert.equal(final.size, 1, 'every machine has the new release');
});

test('a corrupt rollouts.json stops the hub with an error that says what to do', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-fleet-bad-'));
  try {
    fs.mkdirSync(path.join(dir, 'fleet'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'fleet', 'rollouts.json'), '{"schema":"something else"}');
    assert.throws(
      () =>
        createServeFleet({ stateDir: dir, logger: createLogger({ level: 'silent' }), staleAfterMs: 1000 }),
      (err: Error & { code?: string; hint?: string }) =>
        err.code === 'ERR_IO' && /remove it/.test(err.hint ?? ''),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
