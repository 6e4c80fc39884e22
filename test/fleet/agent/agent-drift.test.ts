/**
 * A hand edit of a managed entry as the hub hears it: `sync.drift: detect` leaves it and reports
 * the machine drifted with the field paths (never values); `correct` puts it back and reports in
 * sync. A suspended environment applies nothing and reports what is pending as drift. Then
 * `agent uninstall --prune` takes out every entry the agent wrote and leaves the user's.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { body, laptopTarget, memoryServer } from './agent-hub.js';
import { enrolledLaptop } from './laptop.js';

test('drift detect reports paths, correct corrects, suspend applies nothing, uninstall --prune removes only the agent entries', async (t) => {
  const secret = 'hand-pasted-value-93ab1f';
  let memory = memoryServer('memory', '/nowhere');
  const laptop = await enrolledLaptop(
    t,
    (home) => {
      memory = memoryServer('memory', path.join(home, 'm.jsonl'));
      return body([laptopTarget([memory])], { drift: 'detect' });
    },
    { FLEET_AGENT_CANARY: 'x-canary-value' },
  );
  await laptop.writeClaude({ mcpServers: { mine: { command: 'my-server' } } });
  assert.equal((await laptop.pass()).code, 0);

  const edited = await laptop.readClaude();
  (edited.mcpServers.memory as { env: Record<string, string> }).env.LOG_TOKEN = secret;
  await laptop.writeClaude(edited);
  const detect = await laptop.pass();
  assert.equal(detect.code, 0, detect.stderr);
  assert.match(detect.stdout, /^pass: drifted \(laptops=drifted\)/m);
  const drifted = laptop.hub.machine(laptop.machineId)?.targets.laptops;
  assert.equal(drifted?.state, 'drifted');
  assert.deepEqual(drifted?.drift, [{ server: 'memory', paths: ['claude-code.env.LOG_TOKEN'] }]);
  const envOf = async () =>
    ((await laptop.readClaude()).mcpServers.memory as { env: Record<string, string> }).env;
  assert.equal((await envOf()).LOG_TOKEN, secret, 'detect changed the hand edit');
  assert.ok(!JSON.stringify(laptop.hub.reports).includes(secret), 'a drifted value reached the hub');

  laptop.hub.source.set(body([laptopTarget([memory])], { drift: 'correct' }, 'c'.repeat(40)));
  const correct = await laptop.pass();
  assert.equal(correct.code, 0, correct.stderr);
  assert.match(correct.stdout, /^pass: in-sync \(laptops=in-sync\); bundle cccccccccccc from the hub/m);
  assert.equal((await envOf()).LOG_TOKEN, undefined, 'correct left the hand edit');
  assert.deepEqual(laptop.hub.machine(laptop.machineId)?.targets.laptops?.drift, []);

  // Suspended: a new server is planned, not applied; the machine says what is pending.
  const extra = memoryServer('memory-two', path.join(laptop.home, 'm2.jsonl'));
  laptop.hub.source.set(body([laptopTarget([memory, extra])], { suspend: true }, 'd'.repeat(40)));
  const suspended = await laptop.pass();
  assert.equal(suspended.code, 0, suspended.stderr);
  assert.equal((await laptop.readClaude()).mcpServers['memory-two'], undefined);
  const held = laptop.hub.machine(laptop.machineId)?.targets.laptops;
  assert.equal(held?.state, 'drifted');
  assert.deepEqual(held?.drift, [{ server: 'memory-two', paths: ['(create)'] }]);
  assert.deepEqual(
    held?.servers.map((s) => [s.name, s.outcome]),
    [
      ['memory', 'unchanged'],
      ['memory-two', 'skipped'],
    ],
  );

  const uninstall = await laptop.cli.run(['agent', 'uninstall', '--prune']);
  assert.equal(uninstall.code, 0, uninstall.stderr);
  assert.match(uninstall.stdout, /no user systemd answers on this machine/);
  assert.match(uninstall.stdout, /removed the agent's client entries: laptops\/memory/);
  assert.deepEqual((await laptop.readClaude()).mcpServers, { mine: { command: 'my-server' } });
  await assert.rejects(fs.stat(laptop.stateDir), { code: 'ENOENT' });
});
