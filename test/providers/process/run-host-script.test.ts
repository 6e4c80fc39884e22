/**
 * The inventory and housekeeping scripts run inside the reconciler on the local host
 * (run-host-script.ts): their answers must be byte for byte those of `node -e` on the same files —
 * live and dead pidfiles, launcher state, a log tail whose secret is replaced, a port check, old
 * installs and stale temporary files removed — and a script that throws is exit 1 with its reason.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { HOUSEKEEPING_SCRIPT } from '../../../src/providers/process/housekeeping-script.js';
import { INVENTORY_SCRIPT } from '../../../src/providers/process/inventory-script.js';
import { runInProcess } from '../../../src/providers/process/run-host-script.js';
import { tempDir } from '../../helpers/mcp-servers.js';

const CANARY = 'canary-secret-8d1f2e';
const HOUR_AGO = new Date(Date.now() - 3600_000);

function viaChild(script: string, args: string[]): { exitCode: number; stdout: string } {
  try {
    return {
      exitCode: 0,
      stdout: execFileSync(process.execPath, ['-e', script, ...args], { encoding: 'utf8' }),
    };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { exitCode: e.status, stdout: e.stdout };
  }
}

function writeServer(
  serversDir: string,
  name: string,
  fields: { pid?: number; port?: number; log?: string },
) {
  const dir = join(serversDir, name);
  mkdirSync(dir, { recursive: true });
  const spec = {
    formatVersion: 1,
    environment: 'dev',
    target: 't',
    server: name,
    specHash: `h-${name}`,
    spec: { name, transport: 'streamable-http', secrets: [{ name: 'TOKEN' }] },
    version: '1.0.1',
    port: fields.port,
    listenHost: '127.0.0.1',
    supervisor: 'pidfile',
    command: ['node', 'x.js'],
  };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  writeFileSync(join(dir, 'env'), `TOKEN=${JSON.stringify(CANARY)}\nOTHER=1\n`);
  if (fields.pid !== undefined) writeFileSync(join(dir, 'pid'), `${fields.pid}\n`);
  if (fields.pid !== undefined)
    writeFileSync(
      join(dir, 'state.json'),
      JSON.stringify({ launcherPid: fields.pid, status: 'running', restarts: 2 }),
    );
  if (fields.log) writeFileSync(join(dir, 'log'), fields.log);
}

describe('process scripts run in this process on the local host', () => {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  test('the inventory is what node -e prints, log tails redacted on the host, port check included', async () => {
    const home = await tempDir({ after: (fn) => cleanups.push(fn) });
    const serversDir = join(home, 'servers', 'dev');
    const launcher = join(home, 'lib', 'launcher.cjs');
    // A live process that is not our launcher (its pid is in a pidfile), and a dead pid.
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    cleanups.push(() => sleeper.kill('SIGKILL'));
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => dead.on('exit', resolve));
    writeServer(serversDir, 'alive', { pid: sleeper.pid, port: 1, log: `started\ntoken is ${CANARY}\n` });
    writeServer(serversDir, 'dead', { pid: dead.pid, port: 2, log: 'boom\n' });
    writeServer(serversDir, 'never', { port: 3 });
    mkdirSync(join(serversDir, 'empty'));
    writeFileSync(join(serversDir, 'not-a-dir'), '');

    for (const args of [
      [serversDir, launcher],
      [serversDir, launcher, 'alive'],
      [serversDir, launcher, '', 'dead'],
      [serversDir, launcher, 'alive', 'alive'],
      [join(home, 'missing'), launcher],
    ]) {
      const child = viaChild(INVENTORY_SCRIPT, args);
      const inside = runInProcess(process.execPath, INVENTORY_SCRIPT, args);
      assert.equal(inside.exitCode, 0, inside.stderr);
      assert.equal(inside.stdout, child.stdout);
    }
    const rows = JSON.parse(
      runInProcess(process.execPath, INVENTORY_SCRIPT, [serversDir, launcher, 'alive']).stdout,
    );
    assert.deepEqual(
      rows.map((r: { name: string }) => r.name),
      ['alive', 'dead', 'empty', 'never'],
    );
    const alive = rows[0];
    assert.equal(alive.pidAlive, true);
    assert.equal(alive.running, false, 'a live pid that is not our launcher is not ours');
    assert.deepEqual(alive.logTail, ['started', 'token is [REDACTED]']);
    assert.equal(alive.port.state, 'free');
    assert.equal(rows[1].pidAlive, false);
    assert.ok(!JSON.stringify(rows).includes(CANARY));
    // Asked about one server, the script reads only that one (and nothing for a name that is no directory).
    const only = (name: string) =>
      JSON.parse(runInProcess(process.execPath, INVENTORY_SCRIPT, [serversDir, launcher, '', name]).stdout);
    assert.deepEqual(only('dead'), [rows[1]]);
    assert.deepEqual(only('not-a-dir'), []);
  });

  test('housekeeping removes what node -e removes and prints the same', async () => {
    const home = await tempDir({ after: (fn) => cleanups.push(fn) });
    const build = (base: string) => {
      const packages = join(base, 'packages');
      for (const install of ['pkg@1.0.0', 'pkg@1.0.1', 'pkg@1.0.2', 'pkg@1.0.3', '@s/p@2.0.0', 'pkg@0.9.0']) {
        mkdirSync(join(packages, install), { recursive: true });
        if (install !== 'pkg@0.9.0') writeFileSync(join(packages, install, '.mcp-gitops-installed'), '');
      }
      utimesSync(join(packages, 'pkg@0.9.0'), HOUR_AGO, HOUR_AGO);
      const server = join(base, 'servers', 'dev', 'a');
      mkdirSync(server, { recursive: true });
      mkdirSync(join(base, 'lib'), { recursive: true });
      const record = { spec: { package: { identifier: 'pkg', version: '1.0.3' } }, version: '1.0.3' };
      writeFileSync(join(server, 'spec.json'), JSON.stringify(record));
      writeFileSync(
        join(server, 'history.json'),
        JSON.stringify(['pkg@1.0.0', 'pkg@1.0.1', 'pkg@1.0.2', 'pkg@1.0.3']),
      );
      const stale = join(server, '.spec.json.4242.0123abcd.tmp');
      writeFileSync(stale, '{}');
      utimesSync(stale, HOUR_AGO, HOUR_AGO);
      writeFileSync(join(server, '.spec.json.4243.4567abcd.tmp'), '{}');
      writeFileSync(join(base, 'lib', 'state.json.77.tmp'), '');
      utimesSync(join(base, 'lib', 'state.json.77.tmp'), HOUR_AGO, HOUR_AGO);
    };
    const a = join(home, 'a');
    const b = join(home, 'b');
    build(a);
    build(b);
    const args = (base: string) => [base, '1', JSON.stringify(['@s/p@2.0.0']), String(10 * 60_000)];
    const child = viaChild(HOUSEKEEPING_SCRIPT, args(a));
    const inside = runInProcess(process.execPath, HOUSEKEEPING_SCRIPT, args(b));
    assert.equal(inside.exitCode, 0, inside.stderr);
    assert.equal(inside.stdout, child.stdout.replaceAll(a, b));
    const removed = JSON.parse(inside.stdout);
    assert.deepEqual(removed.packages.sort(), ['pkg@0.9.0 (incomplete install)', 'pkg@1.0.0', 'pkg@1.0.1']);
    assert.equal(removed.files.length, 2);
    for (const base of [a, b]) {
      assert.deepEqual(readdirSync(join(base, 'packages')).sort(), ['@s', 'pkg@1.0.2', 'pkg@1.0.3']);
      assert.equal(existsSync(join(base, 'servers', 'dev', 'a', '.spec.json.4243.4567abcd.tmp')), true);
    }
  });

  test('a script that throws is exit 1 with its reason, and what it printed before', () => {
    const result = runInProcess(process.execPath, "process.stdout.write('x'); JSON.parse(process.argv[1]);", [
      '{',
    ]);
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, 'x');
    assert.match(result.stderr, /^SyntaxError: /);
  });
});
