/**
 * SshHost against a real sshd: in its own network namespace ("a VM with its own address") when
 * this machine allows it, else on 127.0.0.1. Remote files live on the same filesystem, so the
 * test checks them directly.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHost } from '../../../src/hosts/create-host.js';
import { STALE_BACKUP_SUFFIX } from '../../../src/hosts/local-host.js';
import { SshHostError } from '../../../src/hosts/ssh/classify-ssh-error.js';
import { SshHost } from '../../../src/hosts/ssh/ssh-host.js';
import { createSecretResolver } from '../../../src/secrets/resolve-secret.js';
import { requireTools } from '../../helpers/require-tools.js';
import { netnsAvailable, type Sshd, startSshd } from '../../helpers/sshd.js';
import { hostileStrings } from './hostile-strings.js';

requireTools('sshd', 'ssh', 'ip');

let sshd: Sshd;
let host: SshHost;
let work: string;

before(async () => {
  sshd = await startSshd(undefined, { netns: netnsAvailable() });
  work = path.join(sshd.dir, 'remote');
  host = new SshHost({
    url: sshd.url,
    identityRef: `file:${sshd.identityFile}`,
    knownHosts: sshd.knownHosts,
    connectTimeoutMs: 5000,
  });
});
after(async () => {
  await host?.close();
  await sshd?.stop();
});

function acceptedLogins(): number {
  const log = readFileSync(path.join(sshd.dir, 'sshd.log'), 'utf8');
  return log.split('\n').filter((l) => l.includes('Accepted publickey')).length;
}

function processesMatching(text: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') return false;
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('SshHost on a real sshd', () => {
  test('exec, home, which, and file round trips: write with mode, read, stale backup removal, exists, remove', async () => {
    assert.equal(host.kind, 'ssh');
    assert.equal(await host.home(), '/root');
    assert.equal(await host.expand('~/x/y'), '/root/x/y');
    const r = await host.exec('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual(r, { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    await assert.rejects(host.exec('false', [], { reject: true }), /exited with code 1 on ssh:\/\//);
    assert.equal((await host.exec('cat', [], { input: 'from stdin' })).stdout, 'from stdin');
    assert.equal(await host.which('sh'), '/usr/bin/sh');
    assert.equal(await host.which('definitely-not-a-program-mcpgt'), undefined);

    const file = path.join(work, 'a', 'b', 'config.json');
    assert.equal(await host.readFile(file), undefined);
    assert.equal(await host.exists(file), false);
    await host.writeFile(file, '{"v":1}\n', { mode: 0o600 });
    assert.equal(await fs.readFile(file, 'utf8'), '{"v":1}\n');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    assert.equal(await host.readFile(file), '{"v":1}\n');
    assert.equal(await host.exists(file), true);

    await fs.writeFile(`${file}${STALE_BACKUP_SUFFIX}`, 'from an older version');
    assert.deepEqual(await host.writeFile(file, '{"v":2}\n', { removeStaleBackup: true }), {
      removedStaleBackup: `${file}${STALE_BACKUP_SUFFIX}`,
    });
    assert.equal(await fs.readFile(file, 'utf8'), '{"v":2}\n');
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600, 'an existing mode is kept');
    assert.deepEqual(await fs.readdir(path.dirname(file)), ['config.json'], 'the stale backup is gone');
    assert.deepEqual(await host.writeFile(file, '{"v":2}\n', { removeStaleBackup: true }), {});

    await fs.symlink(file, path.join(work, 'link.json'));
    await host.writeFile(path.join(work, 'link.json'), 'through link');
    assert.equal((await fs.lstat(path.join(work, 'link.json'))).isSymbolicLink(), true);
    assert.equal(await fs.readFile(file, 'utf8'), 'through link');

    await host.mkdir(path.join(work, 'd1', 'd2'), 0o750);
    assert.equal((await fs.stat(path.join(work, 'd1', 'd2'))).mode & 0o777, 0o750);
    await host.remove(file);
    assert.equal(existsSync(file), false);
    await host.remove(path.join(work, 'd1'), { recursive: true });
    assert.equal(existsSync(path.join(work, 'd1')), false);
    await assert.rejects(host.readFile(work), (e: unknown) => (e as { code?: string }).code === 'ERR_IO');
  });

  test('hostile arguments, env values, paths and cwd arrive byte for byte and run nothing', async () => {
    const marker = path.join(sshd.dir, 'pwned');
    const words = hostileStrings(marker);
    const argv = await host.exec('printf', ['%s\\0', ...words]);
    assert.deepEqual(argv.stdout.split('\0').slice(0, -1), words);

    const env = Object.fromEntries(words.map((w, i) => [`V${i}`, w]));
    const printed = await host.exec('node', ['-e', 'process.stdout.write(JSON.stringify(process.env))'], {
      env,
    });
    const seen = JSON.parse(printed.stdout) as Record<string, string>;
    for (const [k, v] of Object.entries(env)) assert.equal(seen[k], v, k);

    const both = await host.exec('sh', ['-c', 'cat; printf %s "$V0"'], { env, input: 'stdin-' });
    assert.equal(both.stdout, `stdin-${words[0]}`);

    const odd = path.join(work, "$(touch pwned); 'q' `id` *\nline2");
    await host.mkdir(odd);
    const pwd = await host.exec('pwd', [], { cwd: odd });
    assert.equal(pwd.stdout, `${odd}\n`);
    const file = path.join(odd, words[0]!.replaceAll('/', '_'));
    await host.writeFile(file, words.join('\n'));
    assert.equal(await fs.readFile(file, 'utf8'), words.join('\n'));
    assert.equal(await host.readFile(file), words.join('\n'));
    assert.equal(await host.which(`$(touch ${marker})`), undefined);
    await host.remove(odd, { recursive: true });
    assert.equal(existsSync(odd), false);
    assert.equal(existsSync(marker), false, 'a hostile string was executed on the host');
    assert.equal(existsSync(path.join(work, 'pwned')), false);
  });

  test('one control master serves every command; round trips are counted; close ends it', async () => {
    const fresh = new SshHost({
      url: sshd.url,
      identityRef: `file:${sshd.identityFile}`,
      knownHosts: sshd.knownHosts,
    });
    const before = acceptedLogins();
    // The first command blocks on a fifo until we write to it: the others must not wait for it.
    const fifo = path.join(sshd.dir, 'gate.fifo');
    execFileSync('mkfifo', [fifo]);
    const blocked = fresh.exec('cat', [fifo]);
    await Promise.all(Array.from({ length: 12 }, (_, i) => fresh.exec('echo', [String(i)])));
    await fresh.writeFile(path.join(work, 'mux.txt'), 'x');
    await fs.writeFile(fifo, 'released');
    assert.equal((await blocked).stdout, 'released');
    assert.equal(fresh.roundTrips, 14);
    assert.equal(acceptedLogins() - before, 1, 'sshd saw more than one login');
    assert.equal(await fresh.masterRunning(), true);
    const socket = fresh.controlPath!;
    assert.equal(processesMatching(`${socket} [mux]`).length, 1);
    await fresh.close();
    assert.equal(await fresh.masterRunning(), false);
    assert.equal(existsSync(path.dirname(socket)), false, 'private control directory left behind');

    const plain = new SshHost({
      url: sshd.url,
      identityRef: `file:${sshd.identityFile}`,
      knownHosts: sshd.knownHosts,
      multiplex: false,
    });
    const beforePlain = acceptedLogins();
    for (let i = 0; i < 3; i++) await plain.exec('true', []);
    assert.equal(plain.roundTrips, 3);
    assert.equal(acceptedLogins() - beforePlain, 3);
    assert.equal(plain.controlPath, undefined);
    await plain.close();
  });

  test('environment values show in no command line, here or on the host', async () => {
    const secret = `s3cret-${Math.random().toString(36).slice(2)}`;
    const duration = `${40 + Math.floor(Math.random() * 100)}.75`;
    const running = host.exec('sleep', [duration], { env: { TOKEN: secret }, timeoutMs: 20_000 });
    const deadline = Date.now() + 10_000;
    while (processesMatching(`sleep ${duration}`).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [sleeper] = processesMatching(`sleep ${duration}`);
    assert.ok(sleeper, 'the remote command did not start');
    assert.deepEqual(processesMatching(secret), []);
    assert.match(readFileSync(`/proc/${sleeper}/environ`, 'utf8'), new RegExp(`TOKEN=${secret}`));
    process.kill(sleeper, 'SIGTERM');
    assert.notEqual((await running).exitCode, 0);
  });

  test('a command past its timeout is stopped on the host too', async () => {
    const duration = `${40 + Math.floor(Math.random() * 100)}.25`;
    const r = await host.exec('sleep', [duration], { timeoutMs: 1000 });
    assert.equal(r.exitCode, 124);
    const deadline = Date.now() + 5000;
    while (processesMatching(`sleep ${duration}`).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(processesMatching(`sleep ${duration}`), []);
  });

  test('createHost: an env: identity is written to a private 0600 file and removed on close', async () => {
    const key = await fs.readFile(sshd.identityFile, 'utf8');
    const secrets = createSecretResolver({ repoRoot: sshd.dir, env: { MCPGT_TEST_SSH_KEY: key.trim() } });
    const target = {
      name: 'vm',
      host: sshd.url,
      identityFile: { ref: 'env:MCPGT_TEST_SSH_KEY' },
      knownHosts: sshd.knownHosts,
    };
    const viaCreate = createHost(target, { secrets }) as SshHost;
    assert.equal((await viaCreate.exec('id', ['-u'])).stdout, '0\n');
    const keyFile = path.join(path.dirname(viaCreate.controlPath!), 'identity');
    assert.equal((await fs.stat(keyFile)).mode & 0o777, 0o600);
    await viaCreate.close();
    assert.equal(existsSync(keyFile), false);
    await assert.rejects(createHost(target).exec('true', []), /needs the run's secret resolver/);
  });

  test('an address where nothing answers is unreachable within the connect timeout', async (t) => {
    if (!sshd.silentAddress) {
      t.skip('needs a network namespace (root)');
      return;
    }
    const silent = new SshHost({
      url: `ssh://root@${sshd.silentAddress}:22`,
      identityRef: `file:${sshd.identityFile}`,
      knownHosts: sshd.knownHosts,
      connectTimeoutMs: 1000,
    });
    await assert.rejects(
      silent.exec('true', []),
      (e: unknown) => e instanceof SshHostError && e.reason === 'unreachable' && e.code === 'ERR_HOST',
    );
    await silent.close();
  });
});
