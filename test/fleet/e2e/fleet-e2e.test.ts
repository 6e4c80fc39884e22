/**
 * Issue 15's "Done means", end to end with real processes: a real `serve --fleet` on a real git
 * remote (`git http-backend`) and 20 `mcp-gitops agent` processes, each with its own HOME and state
 * dir, 3 of them inside network namespaces reaching the hub over a bridge address. They enrol with
 * tokens from `fleet token create`, converge (server-memory in each ~/.claude.json, verified over
 * MCP), and the fleet status — `fleet list` and the aggregate serve commits to the remote — says 20
 * in sync. Then: a hand edit on one machine is reported drifted for that machine only; a release
 * whose server cannot start reaches the first wave (2 of 20) only and halts the rollout while the
 * other 18 keep the old entry; a fixed release goes through every wave while one agent is stopped,
 * and that agent converges when it comes back. A canary secret (`env:CANARY_TOKEN`, set only in the
 * agents' environment) never shows up in serve's log, the agents' output, the hub's state, the
 * agents' bundle or reports, or the remote's history.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliRunner, cliRunner } from '../../helpers/cli.js';
import { serverBin } from '../../helpers/mcp-servers.js';
import { createNamespaceBridge, type NamespaceBridge, netnsUnavailableReason } from '../../helpers/netns.js';
import { type ConfigRemote, createConfigRemote } from '../../remote/config-remote.js';
import { type ServeProcess, startServeProcess } from '../../serve/serve-process.js';
import { createLaptop, type Laptop } from './agent-process.js';
import { FLEET_ENVIRONMENT_YAML, memoryServerYaml } from './fleet-config.js';
import {
  describeReports,
  filesContaining,
  inPool,
  lastReports,
  readMachineRecords,
  remoteAggregate,
  TARGET,
  waitFor,
} from './fleet-observe.js';

const N = 20;
const IN_NETNS = 3;
/**
 * A pass is two signed requests (bundle, report); the hub allows a machine 1 request/s with a burst
 * of 30, so 4 s (±10 % jitter) stays well inside it while keeping each wave a few seconds.
 */
const AGENT_INTERVAL = '4s';
const CANARY = `canary-${crypto.randomBytes(12).toString('hex')}`;

let remote: ConfigRemote;
let serve: ServeProcess;
let bridge: NamespaceBridge | undefined;
let cli: CliRunner;
let hubState: string;
let laptops: Laptop[] = [];
let ids: string[] = [];
let v1Digest = '';

const records = () => readMachineRecords(hubState);
const explain = () => describeReports(records());

/** Machines whose last report for the target has `digest` and `state`. */
function reporting(digest: string, state?: string): string[] {
  return [...lastReports(records())]
    .filter(([, r]) => r?.digest === digest && (state === undefined || r.state === state))
    .map(([id]) => id);
}

/** The ids of the first wave for `digest`: ascending sha256(machineId + digest), ceil(10 % × 20). */
function firstWave(digest: string): string[] {
  const key = (id: string) =>
    crypto
      .createHash('sha256')
      .update(id + digest)
      .digest('hex');
  return [...ids].sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, Math.ceil(0.1 * N));
}

async function fleetList(...flags: string[]): Promise<Record<string, unknown>[]> {
  const r = await cli.run([
    'fleet',
    'list',
    '--env',
    'dev',
    '--format',
    'json',
    '--state-dir',
    hubState,
    ...flags,
  ]);
  assert.equal(r.code, 0, `fleet list ${flags.join(' ')}: ${r.stderr}`);
  const data = JSON.parse(r.stdout) as unknown;
  const machines = Array.isArray(data) ? data : (data as { machines?: unknown }).machines;
  assert.ok(Array.isArray(machines), `fleet list --format json: no machines in ${r.stdout.slice(0, 500)}`);
  return machines as Record<string, unknown>[];
}

function memoryEntry(l: Laptop) {
  return l.claudeJson()?.mcpServers?.memory;
}

async function release(level: string, broken = false): Promise<void> {
  remote.pusher.write('servers/memory.yaml', memoryServerYaml(remote.base, { level, broken }));
  await remote.pusher.commitAndPush(`memory ${level}`);
}

before(async () => {
  assert.equal(process.env.CANARY_TOKEN, undefined, 'the canary must be set only in the agents');
  const unavailable = netnsUnavailableReason();
  if (unavailable)
    console.log(`# fleet e2e: no network namespaces (${unavailable}): all ${N} agents on loopback`);
  else bridge = createNamespaceBridge(IN_NETNS);
  remote = await createConfigRemote();
  remote.pusher.write('servers/memory.yaml', memoryServerYaml(remote.base, { level: 'v1' }));
  remote.pusher.write('environments/dev.yaml', FLEET_ENVIRONMENT_YAML);
  await remote.pusher.commitAndPush('fleet target laptops');
  hubState = path.join(remote.base, 'state-hub');
  const address = bridge?.hostAddress ?? '127.0.0.1';
  serve = await startServeProcess(remote, 'hub', {
    args: ['--listen', `${address}:0`, '--fleet', '--poll', '1s', '--fleet-stale-after', '30s'],
  });
  await serve.ready();
  cli = cliRunner({});
  const firstInNetns = N - (bridge ? IN_NETNS : 0);
  laptops = Array.from({ length: N }, (_, i) =>
    createLaptop({
      index: i,
      base: path.join(remote.base, 'fleet'),
      env: { CANARY_TOKEN: CANARY },
      interval: AGENT_INTERVAL,
      // A hub on the bridge address is plain http:// off loopback: the agents must opt in.
      insecureHttp: bridge !== undefined,
      ...(bridge && i >= firstInNetns
        ? {
            wrap: (argv: string[]) => bridge!.wrap(i - firstInNetns, argv),
            netns: bridge.namespaces[i - firstInNetns]!.name,
          }
        : {}),
    }),
  );
});

after(async () => {
  await Promise.all(laptops.map((l) => l.stop()));
  await serve?.stop();
  bridge?.remove();
  await remote?.close();
});

describe('a fleet of 20 laptops', { timeout: 400_000 }, () => {
  test('every agent enrols with a one-time token and converges; fleet list and the remote aggregate say 20 in sync', async () => {
    const tokens = await inPool(laptops, 4, async () => {
      const r = await cli.run([
        'fleet',
        'token',
        'create',
        '--env',
        'dev',
        '--labels',
        'team=platform',
        '--ttl',
        '1h',
        '--state-dir',
        hubState,
      ]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    });
    assert.equal(new Set(tokens).size, N, 'every token is new');
    for (const token of tokens) assert.match(token, /^\S{16,}$/, 'fleet token create prints the token only');

    // Each laptop starts its agent as soon as it is enrolled, as a laptop would.
    const enrolled = await inPool(laptops, 4, async (l) => {
      const r = await l.enroll(serve.url, tokens[l.index]!);
      if (r.code === 0) l.start();
      return r;
    });
    for (const [i, r] of enrolled.entries()) assert.equal(r.code, 0, `agent ${i} enroll: ${r.output}`);
    ids = laptops.map((l) => l.machineId());
    assert.equal(new Set(ids).size, N, 'one machine id per laptop');
    for (const l of laptops)
      assert.equal(
        fs.statSync(path.join(l.stateDir, 'identity.json')).mode & 0o777,
        0o600,
        'identity is 0600',
      );
    // A token is one-time: another machine enrolling with a used one gets nothing.
    const intruder = createLaptop({
      index: 99,
      base: path.join(remote.base, 'fleet'),
      env: {},
      interval: AGENT_INTERVAL,
      insecureHttp: bridge !== undefined,
    });
    const reused = await intruder.enroll(serve.url, tokens[1]!);
    assert.notEqual(reused.code, 0, 'a used token enrols nothing');
    assert.ok(!fs.existsSync(path.join(intruder.stateDir, 'identity.json')));

    await waitFor(
      'server-memory in all 20 ~/.claude.json',
      () => laptops.every((l) => memoryEntry(l)),
      150_000,
      () => `missing on laptops ${laptops.filter((l) => !memoryEntry(l)).map((l) => l.index)}\n${explain()}`,
    );
    for (const l of laptops) {
      const entry = memoryEntry(l)!;
      assert.deepEqual(entry.args, [serverBin('memory')], `laptop ${l.index}`);
      assert.equal(entry.env?.LEVEL, 'v1');
      assert.ok(entry.env && 'CANARY_TOKEN' in entry.env, 'the secret reference reached the entry');
    }
    v1Digest = await waitFor(
      'all 20 machines reporting in sync on one digest',
      () => {
        const reports = [...lastReports(records()).values()];
        const digests = new Set(reports.map((r) => r?.digest));
        return reports.length === N && digests.size === 1 && reports.every((r) => r?.state === 'in-sync')
          ? reports[0]!.digest
          : undefined;
      },
      60_000,
      explain,
    );
    assert.deepEqual(new Set(records().map((m) => m.machineId)), new Set(ids));
    for (const m of records()) assert.equal(m.labels.team, 'platform', 'enrolment labels are kept');

    const listed = await fleetList();
    assert.equal(listed.length, N);
    assert.deepEqual(new Set(listed.map((m) => m.machineId)), new Set(ids));
    for (const m of listed)
      assert.deepEqual(
        (m.targets as { target: string; state: string; digest: string }[]).map((t) => [
          t.target,
          t.state,
          t.digest,
        ]),
        [[TARGET, 'in-sync', v1Digest]],
      );
    assert.deepEqual(await fleetList('--drifted'), [], 'nothing drifted');

    const aggregate = await waitFor(
      'the remote aggregate to say 20 in sync',
      () => {
        const a = remoteAggregate(remote);
        return a && a.machines === N && a.inSync === N ? a : undefined;
      },
      60_000,
      () => JSON.stringify(remoteAggregate(remote)),
    );
    assert.deepEqual(aggregate.byDigest, { [v1Digest.slice(0, 12)]: { count: N } });
    assert.equal(aggregate.rollout.state, 'complete');
  });

  test('a hand edit of the managed entry on one machine is reported drifted for that machine only', async () => {
    const victim = laptops[4]!;
    const victimId = victim.machineId();
    const file = path.join(victim.home, '.claude.json');
    const original = fs.readFileSync(file, 'utf8');
    const edited = JSON.parse(original);
    edited.mcpServers.memory.env.LEVEL = 'hand-edited-7f3a';
    fs.writeFileSync(file, JSON.stringify(edited, null, 2));

    await waitFor(
      'the edited machine to report drifted',
      () => lastReports(records()).get(victimId)?.state === 'drifted',
      60_000,
      explain,
    );
    const reports = lastReports(records());
    for (const [id, r] of reports) if (id !== victimId) assert.equal(r?.state, 'in-sync', `machine ${id}`);
    const drift = reports.get(victimId)!.drift;
    assert.deepEqual(
      drift.map((d) => d.server),
      ['memory'],
    );
    assert.ok(
      drift[0]!.paths.some((p) => p.includes('LEVEL')),
      `drift names the field: ${JSON.stringify(drift)}`,
    );
    assert.ok(!JSON.stringify(records()).includes('hand-edited-7f3a'), 'drift carries paths, never values');

    const drifted = await fleetList('--drifted');
    assert.deepEqual(
      drifted.map((m) => m.machineId),
      [victimId],
    );
    // sync.drift warn: reported, not corrected.
    assert.equal(memoryEntry(victim)?.env?.LEVEL, 'hand-edited-7f3a');

    fs.writeFileSync(file, original);
    await waitFor(
      'the machine to be in sync again after the edit is undone',
      () => reporting(v1Digest, 'in-sync').length === N,
      60_000,
      explain,
    );
  });

  test('a release whose server fails verification reaches the first wave only and halts the rollout', async () => {
    await release('v2-broken', true);
    const brokenDigest = await waitFor(
      'the first wave to report failing on the new digest',
      () => {
        const failing = [...lastReports(records()).values()].filter(
          (r) => r && r.digest !== v1Digest && r.state === 'failing',
        );
        return failing.length === 2 ? failing[0]!.digest : undefined;
      },
      120_000,
      explain,
    );
    const wave = firstWave(brokenDigest);
    assert.deepEqual(
      new Set(reporting(brokenDigest)),
      new Set(wave),
      'the first wave is 2 machines in hash order',
    );

    const aggregate = await waitFor(
      'the remote aggregate to say the rollout halted with both first-wave machines failing',
      () => {
        // The halt is committed on the first failing report; the second machine's is a later commit.
        const a = remoteAggregate(remote);
        return a?.rollout.state === 'halted' && a.failing === 2 ? a : undefined;
      },
      60_000,
      () => JSON.stringify(remoteAggregate(remote)),
    );
    assert.equal(aggregate.rollout.wave, 0, 'halted in the first wave');
    assert.equal(aggregate.byDigest[brokenDigest.slice(0, 12)]?.count, 2);
    assert.equal(aggregate.inSync, N - 2, 'the other 18 are in sync on the stable release');
    assert.match(aggregate.rollout.reason ?? '', /wave 0/);

    // Halted stays halted: several more passes later the other 18 still run v1 and say so.
    await new Promise((r) => setTimeout(r, 10_000));
    assert.deepEqual(new Set(reporting(brokenDigest)), new Set(wave), 'no machine beyond the first wave');
    const rest = laptops.filter((l) => !wave.includes(l.machineId()));
    assert.equal(rest.length, N - 2);
    for (const l of rest) {
      assert.deepEqual(memoryEntry(l)?.args, [serverBin('memory')], `laptop ${l.index} keeps the old entry`);
      assert.equal(memoryEntry(l)?.env?.LEVEL, 'v1');
    }
    assert.equal(reporting(v1Digest, 'in-sync').length, N - 2, explain());
  });

  test('a fixed release goes through the waves while one agent is stopped; it converges when it returns', async () => {
    const sleeper = laptops[N - 1]!; // in a network namespace when there are any
    const sleeperId = sleeper.machineId();
    await sleeper.stop();
    const before = memoryEntry(sleeper);

    await release('v3');
    const awake = ids.filter((id) => id !== sleeperId);
    const fixedDigest = await waitFor(
      'the 19 running machines in sync on the fixed release',
      () => {
        const reports = lastReports(records());
        const digest = reports.get(awake[0]!)?.digest;
        if (!digest || digest === v1Digest) return undefined;
        return awake.every((id) => reports.get(id)?.digest === digest && reports.get(id)?.state === 'in-sync')
          ? digest
          : undefined;
      },
      180_000,
      explain,
    );
    assert.deepEqual(memoryEntry(sleeper), before, 'a stopped agent changes nothing');
    for (const l of laptops.filter((x) => x !== sleeper)) assert.equal(memoryEntry(l)?.env?.LEVEL, 'v3');

    sleeper.start();
    await waitFor(
      'the returning agent to apply the fixed release',
      () => memoryEntry(sleeper)?.env?.LEVEL === 'v3',
      90_000,
      explain,
    );
    await waitFor(
      'all 20 in sync on the fixed release',
      () => reporting(fixedDigest, 'in-sync').length === N,
      60_000,
      explain,
    );
    const aggregate = await waitFor(
      'the remote aggregate to say 20 in sync on the fixed release',
      () => {
        const a = remoteAggregate(remote);
        return a && a.inSync === N && a.byDigest[fixedDigest.slice(0, 12)]?.count === N ? a : undefined;
      },
      60_000,
      () => JSON.stringify(remoteAggregate(remote)),
    );
    assert.equal(aggregate.rollout.state, 'complete');
  });

  test('the canary secret appears in no log, output, hub state, bundle, report or commit', async () => {
    const leaks: string[] = [];
    if (JSON.stringify(serve.lines).includes(CANARY)) leaks.push("serve's log");
    for (const l of laptops) {
      if (l.transcript.join('').includes(CANARY)) leaks.push(`agent ${l.index}'s output`);
      leaks.push(...filesContaining(l.stateDir, CANARY));
    }
    if (cli.transcript.join('').includes(CANARY)) leaks.push('CLI output');
    leaks.push(...filesContaining(hubState, CANARY));
    const history = execFileSync('git', ['-C', remote.bare, 'log', '-p', '--all'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (history.includes(CANARY)) leaks.push("the remote's history");
    assert.ok(history.includes(`reports/dev/fleet/${TARGET}.json`), 'the aggregate was committed');
    assert.deepEqual(leaks, []);
    // The scans do see what is there: a machine id is in the hub's state and in agent output.
    assert.ok(filesContaining(hubState, ids[0]!).length > 0, 'the state scan reads the hub files');
    assert.ok(laptops[0]!.transcript.join('').includes(ids[0]!), 'the agent output was captured');
  });
});
