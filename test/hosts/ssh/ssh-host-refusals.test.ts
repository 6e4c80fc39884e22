/**
 * What SshHost refuses, against a real sshd on 127.0.0.1: a host key that does not match the
 * target's known_hosts, an unknown host key (unless the target asks for trust on first use), a
 * key the server does not accept, and a port where nothing listens. A marker file proves nothing
 * ran on the host. The host's shell greets on stdout and stderr at startup, as some VMs do.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type SshFailureReason, SshHostError } from '../../../src/hosts/ssh/classify-ssh-error.js';
import { SshHost, type SshHostOptions } from '../../../src/hosts/ssh/ssh-host.js';
import { requireTools } from '../../helpers/require-tools.js';
import { type Sshd, startSshd } from '../../helpers/sshd.js';

requireTools('sshd', 'ssh');

let sshd: Sshd;
let marker: string;
let noisyDir: string;
const hosts: SshHost[] = [];

before(async () => {
  // A login shell that greets on stdout and stderr: command output must come back without it.
  const noisy = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'mcpgt-noisy-')), 'bash_env');
  await fs.writeFile(noisy, 'echo "Welcome to the VM"; echo "motd on stderr" >&2\n');
  noisyDir = path.dirname(noisy);
  sshd = await startSshd(undefined, { env: { BASH_ENV: noisy } });
  marker = path.join(sshd.dir, 'marker');
});
after(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await sshd?.stop();
  await fs.rm(noisyDir, { recursive: true, force: true });
});

function hostWith(options: Partial<SshHostOptions>): SshHost {
  const host = new SshHost({
    url: sshd.url,
    identityRef: `file:${sshd.identityFile}`,
    knownHosts: sshd.knownHosts,
    connectTimeoutMs: 3000,
    ...options,
  });
  hosts.push(host);
  return host;
}

function refusedWith(reason: SshFailureReason, ...patterns: RegExp[]) {
  return (e: unknown) => {
    assert.ok(e instanceof SshHostError, String(e));
    assert.equal(e.code, 'ERR_HOST');
    assert.equal(e.reason, reason);
    assert.ok(e.message.includes(sshd.url.replace(/:\d+$/, '')), e.message);
    assert.ok(e.hint, 'no hint');
    for (const p of patterns) assert.match(`${e.message}\n${e.hint}`, p);
    return true;
  };
}

describe('SshHost refusals', () => {
  test('a host key that does not match knownHosts is refused, nothing runs, and it is not retried', async () => {
    const knownHosts = path.join(sshd.dir, 'kh-wrong');
    await fs.writeFile(knownHosts, await sshd.wrongKnownHostsLine());
    const host = hostWith({ knownHosts });
    const refused = refusedWith('host-key-mismatch', /does not match/, new RegExp(knownHosts));
    await assert.rejects(host.exec('touch', [marker]), refused);
    await assert.rejects(host.writeFile(marker, 'x'), refused);
    assert.equal(host.roundTrips, 1, 'a refused host was dialled again');
    assert.equal(existsSync(marker), false, 'a command ran on a host whose key did not match');
  });

  test('trust on first use accepts an unknown key only, never a changed one', async () => {
    const knownHosts = path.join(sshd.dir, 'kh-wrong-tofu');
    await fs.writeFile(knownHosts, await sshd.wrongKnownHostsLine());
    const host = hostWith({ knownHosts, acceptNewHostKey: true });
    await assert.rejects(host.exec('touch', [marker]), refusedWith('host-key-mismatch'));
    assert.equal(existsSync(marker), false);
  });

  test('an unknown host key is refused unless the target asks for trust on first use', async () => {
    const knownHosts = path.join(sshd.dir, 'kh-empty');
    await fs.writeFile(knownHosts, '');
    await assert.rejects(
      hostWith({ knownHosts }).exec('touch', [marker]),
      refusedWith('host-key-unknown', /is not in/, /acceptNewHostKey/),
    );
    assert.equal(existsSync(marker), false);
    assert.equal(await fs.readFile(knownHosts, 'utf8'), '', 'known_hosts changed without consent');

    const tofu = hostWith({ knownHosts, acceptNewHostKey: true });
    assert.equal((await tofu.exec('echo', ['trusted'])).stdout, 'trusted\n');
    const recorded = await fs.readFile(knownHosts, 'utf8');
    const real = (await fs.readFile(sshd.knownHosts, 'utf8')).split(' ').slice(1).join(' ');
    assert.ok(recorded.includes(real.trim()), 'the real host key was not recorded');
    const strict = hostWith({ knownHosts });
    assert.equal((await strict.exec('echo', ['strict'])).stdout, 'strict\n');
    await strict.writeFile(path.join(sshd.dir, 'greeted.txt'), 'content');
    assert.equal(await strict.readFile(path.join(sshd.dir, 'greeted.txt')), 'content');
  });

  test('a key the server does not accept is an auth refusal', async () => {
    const otherKey = path.join(sshd.dir, 'not_authorized');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey], { timeout: 10_000 });
    await assert.rejects(
      hostWith({ identityRef: `file:${otherKey}` }).exec('touch', [marker]),
      refusedWith('auth-refused', /refused the login/, /authorized_keys/),
    );
    assert.equal(existsSync(marker), false);
  });

  test('a port where nothing listens is unreachable', async () => {
    const port = await closedPort();
    const host = hostWith({ url: `ssh://root@127.0.0.1:${port}`, connectTimeoutMs: 2000 });
    await assert.rejects(
      host.exec('true', []),
      (e: unknown) =>
        e instanceof SshHostError && e.reason === 'unreachable' && /Connection refused/.test(e.message),
    );
  });
});

describe('SshHost when the connection breaks', () => {
  test('a command cut off mid-way is an unreachable error, not its exit code; the next one reconnects', async () => {
    const host = hostWith({});
    assert.equal((await host.exec('echo', ['up'])).stdout, 'up\n');
    const fifo = path.join(sshd.dir, 'never.fifo');
    execFileSync('mkfifo', [fifo]);
    const cut = host.exec('cat', [fifo]);
    const deadline = Date.now() + 10_000;
    while (sessionsOf(sshd.pid).length === 0 && Date.now() < deadline) await sleep(50);
    await sleep(300); // let `cat` open the fifo
    for (const pid of sessionsOf(sshd.pid)) process.kill(pid, 'SIGKILL');
    await assert.rejects(cut, (e: unknown) => e instanceof SshHostError && e.reason === 'unreachable');
    assert.equal((await host.exec('echo', ['again'])).stdout, 'again\n');
    // Release the orphaned `cat` so nothing is left behind.
    await fs.writeFile(fifo, '');
  });

  test("a command's own exit code 255 is returned, not mistaken for a broken connection", async () => {
    const r = await hostWith({}).exec('sh', ['-c', 'echo "Connection refused" >&2; exit 255']);
    assert.deepEqual(r, { exitCode: 255, stdout: '', stderr: 'Connection refused\n' });
  });
});

describe('SshHost without an ssh client', () => {
  test('says the OpenSSH client is missing instead of echoing the command line', async () => {
    const saved = process.env.PATH;
    process.env.PATH = sshd.dir; // no ssh in there
    try {
      await assert.rejects(hostWith({}).exec('touch', [marker]), (e: unknown) => {
        assert.ok(e instanceof SshHostError);
        assert.equal(e.reason, 'ssh');
        assert.match(e.message, /OpenSSH client is not installed/);
        assert.doesNotMatch(e.message, /touch/);
        assert.match(e.hint ?? '', /openssh-client/);
        return true;
      });
    } finally {
      process.env.PATH = saved;
    }
  });
});

/** A loopback port that was just free. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The per-connection sshd processes (children of the listening sshd). */
function sessionsOf(sshdPid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === sshdPid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
