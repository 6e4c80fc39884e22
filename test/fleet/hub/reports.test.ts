/**
 * Agent reports against a real hub: an accepted report lands in the machine's record and reaches
 * onReport; a report for another machine, an oversized one (refused before it is parsed), bad
 * JSON, a schema violation or an unknown target is refused and the store is unchanged. Also the
 * rate limits, and a canary secret value that must never reach the hub's logs or state.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, test } from 'node:test';
import { readMachines } from '../../../src/fleet/hub/hub-store.js';
import {
  type AgentReport,
  FLEET_LIMITS,
  FLEET_PATHS,
  type SignedBundle,
} from '../../../src/fleet/protocol.js';
import {
  type Agent,
  CANARY_REF,
  CANARY_VALUE,
  enroll,
  FACTS,
  type Hub,
  signedFetch,
  signedHeaders,
  startHub,
  stateText,
} from './hub-harness.js';

let hub: Hub;
let agent: Agent;
let other: Agent;
let digest: string;
before(async () => {
  hub = await startHub({ flushEveryMs: 0 });
  agent = (await enroll(hub, hub.token())).agent!;
  other = (await enroll(hub, hub.token())).agent!;
  const res = await signedFetch(hub, agent, 'GET', FLEET_PATHS.bundle);
  digest = ((await res.json()) as SignedBundle).bundle.targets[0]!.digest;
});
after(() => hub.close());

const R = FLEET_PATHS.report;

function report(machineId: string, overrides: Partial<AgentReport> = {}): AgentReport {
  return {
    schema: 'mcp-gitops/fleet-report/v1',
    machineId,
    revision: 'a'.repeat(40),
    targets: [
      {
        target: 'laptops',
        digest,
        state: 'drifted',
        servers: [
          { name: 'memory', specHash: 'f'.repeat(64), outcome: 'unchanged', health: 'healthy', tools: 9 },
        ],
        drift: [{ server: 'memory', paths: ['args[0]'] }],
      },
    ],
    facts: { ...FACTS, hostname: 'renamed\u001b[31m' },
    ...overrides,
  };
}

function snapshot() {
  hub.hub.store.flush();
  return JSON.stringify(readMachines(hub.fleetDir));
}

test('an accepted report is stored per target for the signing machine and handed to onReport', async () => {
  const res = await signedFetch(hub, agent, 'POST', R, JSON.stringify(report(agent.machineId)));
  assert.equal(res.status, 204);
  const record = JSON.parse(snapshot()).find((m: { machineId: string }) => m.machineId === agent.machineId);
  assert.equal(record.targets.laptops.state, 'drifted');
  assert.equal(record.targets.laptops.digest, digest);
  assert.deepEqual(record.targets.laptops.drift, [{ server: 'memory', paths: ['args[0]'] }]);
  assert.equal(typeof record.targets.laptops.reportedAt, 'number');
  assert.equal(record.facts.hostname, 'renamed\u001b[31m', 'stored as the untrusted string it is');
  assert.deepEqual(hub.reports, [agent.machineId]);
});

test('bad reports are refused and change nothing', async () => {
  const before = snapshot();
  const reportsBefore = hub.reports.length;
  const target = report(agent.machineId).targets[0]!;
  const cases: [string, string, number][] = [
    ['for another machine', JSON.stringify(report(other.machineId)), 403],
    ['not JSON', '{"schema":', 400],
    ['JSON but not an object', '[]', 400],
    ['unknown field', JSON.stringify({ ...report(agent.machineId), extra: true }), 400],
    [
      'bad state',
      JSON.stringify(report(agent.machineId, { targets: [{ ...target, state: 'fine' as 'in-sync' }] })),
      400,
    ],
    [
      'reason over the cap',
      JSON.stringify(report(agent.machineId, { targets: [{ ...target, error: 'x'.repeat(501) }] })),
      400,
    ],
    ['too many targets', JSON.stringify(report(agent.machineId, { targets: Array(65).fill(target) })), 400],
    [
      'a target it was not given',
      JSON.stringify(report(agent.machineId, { targets: [{ ...target, target: 'servers' }] })),
      422,
    ],
  ];
  for (const [name, body, status] of cases) {
    const res = await signedFetch(hub, agent, 'POST', R, body);
    assert.equal(res.status, status, name);
    assert.doesNotMatch(await res.text(), /laptops|servers|fine|m-/, `${name}: nothing echoed`);
  }
  assert.equal(snapshot(), before);
  assert.equal(hub.reports.length, reportsBefore);
});

test('an oversized report is refused from its declared length, before a byte is parsed', async () => {
  const before = snapshot();
  const huge = JSON.stringify({ ...report(agent.machineId), pad: 'x'.repeat(FLEET_LIMITS.reportBodyBytes) });
  const res = await signedFetch(hub, agent, 'POST', R, huge);
  assert.equal(res.status, 413);
  assert.equal(snapshot(), before);
  assert.ok(hub.logs.some((l) => l.includes('"reason":"too-large"')));
});

test('an oversized chunked report (no length declared) is cut off at the cap', async () => {
  const body = 'x'.repeat(FLEET_LIMITS.reportBodyBytes + 1024);
  const headers = signedHeaders(agent, 'POST', R, body);
  const { port } = new URL(hub.url);
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString();
    });
    socket.on('close', () => resolve(got));
    socket.on('error', (err) => (got ? resolve(got) : reject(err)));
    const head = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`POST ${R} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n${head}\r\n`);
    for (let i = 0; i < body.length; i += 16_384) {
      const chunk = body.slice(i, i + 16_384);
      if (!socket.destroyed) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    }
    if (!socket.destroyed) socket.write('0\r\n\r\n');
  });
  assert.match(answer, /^HTTP\/1\.1 413/);
});

test('per-machine rate limit: a runaway agent gets 429 with Retry-After; others are unaffected', async () => {
  const limited = await startHub({ rateLimits: { machinePerSecond: 0.01, machineBurst: 3 } });
  try {
    const a = (await enroll(limited, limited.token())).agent!;
    const b = (await enroll(limited, limited.token())).agent!;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await signedFetch(limited, a, 'GET', FLEET_PATHS.bundle)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const last = await signedFetch(limited, a, 'GET', FLEET_PATHS.bundle);
    assert.ok(Number(last.headers.get('retry-after')) >= 1);
    assert.equal((await signedFetch(limited, b, 'GET', FLEET_PATHS.bundle)).status, 200);
  } finally {
    await limited.close();
  }
});

test('per-address rate limit: refused before the body is read', async () => {
  const limited = await startHub({ rateLimits: { addressPerSecond: 0.01, addressBurst: 2 } });
  try {
    const a = (await enroll(limited, limited.token())).agent!;
    assert.equal((await signedFetch(limited, a, 'GET', FLEET_PATHS.bundle)).status, 200);
    const res = await signedFetch(limited, a, 'POST', R, JSON.stringify(report(a.machineId)));
    assert.equal(res.status, 429);
    assert.equal((await enroll(limited, limited.token())).status, 429, 'enrolment too');
  } finally {
    await limited.close();
  }
});

test('the canary: its reference name travels in the bundle, its value never reaches logs or state', async () => {
  const pulled = await signedFetch(hub, agent, 'GET', FLEET_PATHS.bundle);
  const text = await pulled.text();
  assert.ok(text.includes(CANARY_REF));
  assert.ok(!text.includes(CANARY_VALUE));
  // The hub logs no report body, accepted or refused: a value an agent sends by mistake stays out.
  const target = report(agent.machineId).targets[0]!;
  const leaky = report(agent.machineId, {
    targets: [{ ...target, state: 'failing', error: 'redacted by the agent' }],
  });
  assert.equal((await signedFetch(hub, agent, 'POST', R, JSON.stringify(leaky))).status, 204);
  const bad = JSON.stringify({ ...leaky, note: CANARY_VALUE });
  assert.equal((await signedFetch(hub, agent, 'POST', R, bad)).status, 400);
  hub.hub.store.flush();
  assert.ok(!hub.logs.join('').includes(CANARY_VALUE), 'logs');
  assert.ok(!stateText(hub).includes(CANARY_VALUE), 'state');
});
