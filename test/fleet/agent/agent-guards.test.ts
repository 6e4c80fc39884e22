/**
 * Guards around a pass: one pass at a time per state folder (a stale lock from a dead process is
 * taken over), and a bundle's relative `file:` secret reference cannot reach the agent's own key.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { bundleDigest } from '../../../src/fleet/bundle/bundle-target.js';
import { body, CANARY, CANARY_VAR, laptopTarget, memoryServer } from './agent-hub.js';
import { enrolledLaptop } from './laptop.js';

test('one pass at a time: a live lock refuses, a dead one is taken over', async (t) => {
  const laptop = await enrolledLaptop(
    t,
    (home) => body([laptopTarget([memoryServer('memory', path.join(home, 'm.jsonl'))])]),
    {
      [CANARY_VAR]: CANARY,
    },
  );
  const lock = path.join(laptop.stateDir, 'pass.lock');
  await fs.writeFile(lock, `${process.pid}\n`);
  const busy = await laptop.pass();
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, new RegExp(`another agent pass is running \\(pid ${process.pid}\\)`));
  assert.equal(laptop.hub.reports.length, 0);

  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  await fs.writeFile(lock, `${dead}\n`);
  const pass = await laptop.pass();
  assert.equal(pass.code, 0, pass.stderr);
  await assert.rejects(fs.stat(lock), { code: 'ENOENT' });
});

test("a bundle's relative file: secret cannot name the agent's identity, even with materializeSecrets", async (t) => {
  const laptop = await enrolledLaptop(t, (home) => {
    const server = memoryServer('memory', path.join(home, 'm.jsonl'), {
      secrets: [{ name: 'STOLEN', ref: 'file:identity.json' }],
    });
    const target = laptopTarget([server]);
    const settings = { ...target.settings, materializeSecrets: true };
    return body([{ ...target, settings, digest: bundleDigest(settings, [server]) }]);
  });
  const pass = await laptop.pass();
  assert.equal(pass.code, 1, pass.stdout);
  assert.match(pass.stdout, /^pass: failing \(laptops=failing\)/m);
  const key = JSON.parse(await fs.readFile(path.join(laptop.stateDir, 'identity.json'), 'utf8')) as {
    privateKeyPem: string;
  };
  const keyLine = key.privateKeyPem.split('\n')[1]!;
  const claude = await fs.readFile(path.join(laptop.home, '.claude.json'), 'utf8').catch(() => '');
  assert.ok(!claude.includes(keyLine), 'the private key was written into a client file');
  assert.ok(!JSON.stringify(laptop.hub.reports).includes(keyLine));
  const reported = laptop.hub.machine(laptop.machineId)?.targets.laptops?.servers[0];
  assert.equal(reported?.outcome, 'failed');
  assert.match(reported?.reason ?? '', /file:identity\.json/);
});

test('no fleet target matches the machine: the pass has nothing to do and reports nothing', async (t) => {
  const laptop = await enrolledLaptop(t, (home) =>
    body([laptopTarget([memoryServer('memory', path.join(home, 'm.jsonl'))])]),
  );
  const prod = path.join(laptop.home, 'prod-agent');
  const enrolled = await laptop.cli.run([
    'agent',
    'enroll',
    laptop.hub.url,
    laptop.hub.token({}, 'prod'),
    '--state-dir',
    prod,
  ]);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const pass = await laptop.cli.run(['agent', 'run', '--once', '--state-dir', prod]);
  assert.equal(pass.code, 0, pass.stderr);
  assert.match(pass.stdout, /^pass: nothing to do \(no fleet target matches this machine\)$/m);
  assert.equal(laptop.hub.reports.length, 0);
  await assert.rejects(fs.stat(path.join(laptop.home, '.claude.json')), { code: 'ENOENT' });
});
