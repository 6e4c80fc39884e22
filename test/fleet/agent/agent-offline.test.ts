/**
 * The hub away and the bundle altered on the way: an offline laptop keeps reconciling against its
 * last verified bundle and queues its report until the hub is back; a bundle whose signature does
 * not verify against the pinned hub key is refused loudly, never applied and never cached.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { body, CANARY, CANARY_VAR, laptopTarget, memoryServer } from './agent-hub.js';
import { enrolledLaptop } from './laptop.js';

test('hub down: the cached bundle is used and the report queued, then delivered when the hub is back', async (t) => {
  const laptop = await enrolledLaptop(
    t,
    (home) => body([laptopTarget([memoryServer('memory', path.join(home, 'm.jsonl'))])]),
    {
      [CANARY_VAR]: CANARY,
    },
  );
  const first = await laptop.pass();
  assert.equal(first.code, 0, first.stderr);
  assert.equal(laptop.hub.reports.length, 1);

  await laptop.hub.stop();
  // A hand edit while offline: the cached bundle still corrects it.
  const edited = await laptop.readClaude();
  (edited.mcpServers.memory as { args: string[] }).args = ['/tmp/somewhere-else.js'];
  await laptop.writeClaude(edited);
  const offline = await laptop.pass();
  assert.equal(offline.code, 0, offline.stderr);
  assert.match(
    offline.stdout,
    /^pass: in-sync \(laptops=in-sync\); bundle aaaaaaaaaaaa cached \(hub unreachable\); report queued$/m,
  );
  assert.match(offline.stdout, /hub 127\.0\.0\.1:\d+ did not answer GET \/fleet\/v1\/bundle: ECONNREFUSED/);
  assert.notDeepEqual((await laptop.readClaude()).mcpServers.memory?.args, ['/tmp/somewhere-else.js']);
  const pending = JSON.parse(
    await fs.readFile(path.join(laptop.stateDir, 'pending-report.json'), 'utf8'),
  ) as {
    machineId: string;
    targets: { state: string; servers: { outcome: string }[] }[];
  };
  assert.equal(pending.machineId, laptop.machineId);
  assert.deepEqual(
    pending.targets.map((x) => [x.state, x.servers[0]?.outcome]),
    [['in-sync', 'applied']],
  );
  assert.equal((await fs.stat(path.join(laptop.stateDir, 'pending-report.json'))).mode & 0o777, 0o600);

  await laptop.hub.start();
  const back = await laptop.pass();
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /unchanged at the hub; report delivered$/m);
  await assert.rejects(fs.stat(path.join(laptop.stateDir, 'pending-report.json')), { code: 'ENOENT' });
  // The queued report (the correction while offline) and this pass's both reached the hub.
  assert.equal(laptop.hub.reports.length, 3);
  assert.deepEqual(
    laptop.hub.reports.slice(1).map((r) => r.targets.laptops?.servers[0]?.outcome),
    ['applied', 'unchanged'],
  );
  assert.ok(!laptop.cli.transcript.join('').includes(CANARY));
});

test('a tampered bundle is refused: not applied, not cached; the last good one is kept', async (t) => {
  const laptop = await enrolledLaptop(
    t,
    (home) => body([laptopTarget([memoryServer('memory', path.join(home, 'm.jsonl'))])]),
    {
      [CANARY_VAR]: CANARY,
    },
  );
  assert.equal((await laptop.pass()).code, 0);
  const cachedBefore = await fs.readFile(path.join(laptop.stateDir, 'bundle.json'), 'utf8');
  const claudeBefore = await laptop.readClaude();

  // A new release, altered after the hub signed it.
  laptop.hub.source.set(
    body([laptopTarget([memoryServer('memory', path.join(laptop.home, 'm2.jsonl'))])], {}, 'b'.repeat(40)),
  );
  laptop.hub.tamper = true;
  const refused = await laptop.pass();
  assert.equal(refused.code, 0, refused.stderr);
  assert.match(
    refused.stdout,
    /refused the bundle from the hub: its signature does not verify against the hub key pinned at enrolment/,
  );
  assert.match(refused.stdout, /bundle aaaaaaaaaaaa cached/);
  assert.equal(await fs.readFile(path.join(laptop.stateDir, 'bundle.json'), 'utf8'), cachedBefore);
  assert.deepEqual(await laptop.readClaude(), claudeBefore);
  assert.ok(!JSON.stringify(await laptop.readClaude()).includes('by-someone-in-between'));

  // A cache edited on disk is refused too (and the pass cannot go on without a good bundle while the hub lies).
  const cached = JSON.parse(cachedBefore) as { signed: { bundle: { revision: string } } };
  cached.signed.bundle.revision = 'c'.repeat(40);
  await fs.writeFile(path.join(laptop.stateDir, 'bundle.json'), JSON.stringify(cached));
  const noGood = await laptop.pass();
  assert.equal(noGood.code, 1);
  assert.match(noGood.stderr, /refused the bundle from the cache \(bundle\.json\)/);
  assert.match(noGood.stderr, /no bundle to act on/);

  // The hub honest again: its bundle verifies and is applied.
  laptop.hub.tamper = false;
  const honest = await laptop.pass();
  assert.equal(honest.code, 0, honest.stderr);
  assert.match(honest.stdout, /bundle bbbbbbbbbbbb from the hub; report delivered/);
  assert.deepEqual(
    ((await laptop.readClaude()).mcpServers.memory as { env: Record<string, string> }).env.MEMORY_FILE_PATH,
    path.join(laptop.home, 'm2.jsonl'),
  );
});
