/**
 * `agent run` as a service runs it: key rotation when the key is older than --rotate-after (the hub
 * then accepts only the new key), passes on an interval until SIGTERM, which ends it cleanly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { publicKeyOf } from '../../../src/fleet/signing.js';
import { BIN } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/mcp-servers.js';
import { body, CANARY, CANARY_VAR, laptopTarget, memoryServer } from './agent-hub.js';
import { enrolledLaptop } from './laptop.js';

interface Identity {
  privateKeyPem: string;
  keyCreatedAt: number;
  pendingPrivateKeyPem?: string;
}

test('rotation: a key older than --rotate-after is replaced; the hub takes only the new one', async (t) => {
  const laptop = await enrolledLaptop(
    t,
    (home) => body([laptopTarget([memoryServer('memory', path.join(home, 'm.jsonl'))])]),
    {
      [CANARY_VAR]: CANARY,
    },
  );
  const file = path.join(laptop.stateDir, 'identity.json');
  const before = JSON.parse(await fs.readFile(file, 'utf8')) as Identity;
  const kept = await laptop.cli.run(['agent', 'run', '--once', '--rotate-after', '30d']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.equal((JSON.parse(await fs.readFile(file, 'utf8')) as Identity).privateKeyPem, before.privateKeyPem);

  const rotated = await laptop.cli.run(['agent', 'run', '--once', '--rotate-after', '1ms']);
  assert.equal(rotated.code, 0, rotated.stderr);
  assert.match(rotated.stdout, /report delivered/);
  const after = JSON.parse(await fs.readFile(file, 'utf8')) as Identity;
  assert.notEqual(after.privateKeyPem, before.privateKeyPem);
  assert.equal(after.pendingPrivateKeyPem, undefined);
  assert.ok(after.keyCreatedAt > before.keyCreatedAt);
  assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
  const record = laptop.hub.machine(laptop.machineId);
  assert.equal(record?.publicKey, publicKeyOf(after.privateKeyPem));
  assert.ok(record?.rotatedAt);

  // The old key is refused now: an identity put back to it cannot fetch, and says what to do.
  await fs.writeFile(file, JSON.stringify({ ...after, privateKeyPem: before.privateKeyPem }));
  const old = await laptop.pass();
  assert.equal(old.code, 1);
  assert.match(old.stderr, /bundle refused: hub answered 401: unauthorized/);
  assert.match(old.stderr, /hint: this machine may have been revoked/);
  const status = await laptop.cli.run(['agent', 'status', '--format', 'json']);
  const last = (
    JSON.parse(status.stdout) as { lastPass: { outcome: string; source?: string; notes: string[] } }
  ).lastPass;
  assert.equal(last.outcome, 'error');
  assert.equal(last.source, undefined);
  assert.match(last.notes.join('\n'), /bundle refused: hub answered 401/);

  // A rotation the hub took but whose answer was lost: the pending key is promoted on the 401.
  await fs.writeFile(
    file,
    JSON.stringify({
      ...after,
      privateKeyPem: before.privateKeyPem,
      pendingPrivateKeyPem: after.privateKeyPem,
    }),
  );
  const recovered = await laptop.pass();
  assert.equal(recovered.code, 0, recovered.stderr);
  const promoted = JSON.parse(await fs.readFile(file, 'utf8')) as Identity;
  assert.equal(promoted.privateKeyPem, after.privateKeyPem);
  assert.equal(promoted.pendingPrivateKeyPem, undefined);
});

test('agent run: passes on its interval until SIGTERM ends it cleanly', async (t) => {
  const laptop = await enrolledLaptop(
    t,
    (home) => body([laptopTarget([memoryServer('memory', path.join(home, 'm.jsonl'))])]),
    {
      [CANARY_VAR]: CANARY,
    },
  );
  const child = spawn(process.execPath, [BIN, 'agent', 'run', '--interval', '1s'], {
    env: { ...process.env, HOME: laptop.home, MCP_GITOPS_HOME: laptop.home, [CANARY_VAR]: CANARY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await waitFor(() => (out.match(/^pass: /gm)?.length ?? 0) >= 3, {
    timeoutMs: 120_000,
    what: 'three passes',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 60_000))]);
  assert.equal(code, 0, out);
  assert.match(out, /^agent running: a pass every 1s/m);
  assert.match(
    out,
    /^pass: in-sync \(laptops=in-sync\); bundle aaaaaaaaaaaa from the hub; report delivered$/m,
  );
  assert.match(
    out,
    /^pass: in-sync \(laptops=in-sync\); bundle aaaaaaaaaaaa unchanged at the hub; report delivered$/m,
  );
  assert.match(out, /^stopped$/m);
  assert.ok(laptop.hub.reports.length >= 3);
  assert.ok(!out.includes(CANARY));
});
