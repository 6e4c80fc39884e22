/**
 * A real OpenSSH server for tests — the "VM" of TEST-INFRA.md. Its own config, host key, pidfile
 * and authorized_keys in a temp dir; a fresh user key pair; a known_hosts file holding the
 * server's real host key. On 127.0.0.1 by default, or inside its own network namespace with a veth
 * pair and an address in 10.200.X.0/24 (`{ netns: true }`, needs root). Logs in as root (allowed
 * with keys only). Stopped — sessions, sshd, namespace, files — by `stop()`, registered with
 * `t.after` when a test context is given. Every wait is bounded.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireTools } from './require-tools.js';

const SSHD = '/usr/sbin/sshd';

export interface SshdOptions {
  /** Run sshd in its own network namespace with its own address (root and `ip` needed). */
  netns?: boolean;
  /** Extra environment for every session (sshd `SetEnv`), e.g. BASH_ENV for a noisy shell. */
  env?: Record<string, string>;
}

export interface Sshd {
  /** Address clients dial: 127.0.0.1, or the namespace's 10.200.X.2. */
  address: string;
  port: number;
  user: string;
  /** `ssh://root@ADDRESS:PORT` */
  url: string;
  /** Private key authorised on the server (mode 0600). */
  identityFile: string;
  /** known_hosts file holding the server's real host key. */
  knownHosts: string;
  /** Scratch directory of this fixture (also a convenient place for remote files: same filesystem). */
  dir: string;
  pid: number;
  netns?: string;
  /** An address in the namespace's subnet where nothing answers (netns only). */
  silentAddress?: string;
  /** A known_hosts line for this server with another key (for mismatch tests). */
  wrongKnownHostsLine(): Promise<string>;
  stop(): Promise<void>;
}

interface AfterContext {
  after(fn: () => Promise<void> | void): void;
}

/** Whether this machine can make network namespaces (root with `ip`). */
export function netnsAvailable(): boolean {
  return process.getuid?.() === 0 && (existsSync('/usr/sbin/ip') || existsSync('/sbin/ip'));
}

export async function startSshd(t?: AfterContext, options: SshdOptions = {}): Promise<Sshd> {
  // sshd itself, ssh-keygen for the keys, and ip for a namespace: say which package at once.
  requireTools('sshd', 'ssh', ...(options.netns ? (['ip'] as const) : []));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mcpgt-sshd-'));
  const cleanups: (() => Promise<void> | void)[] = [() => fs.rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch {
        // Keep cleaning up the rest.
      }
    }
  };
  t?.after(stop);
  try {
    await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    await keygen(path.join(dir, 'host_key'));
    await keygen(path.join(dir, 'user_key'));
    await fs.copyFile(path.join(dir, 'user_key.pub'), path.join(dir, 'authorized_keys'));
    const ns = options.netns ? await makeNamespace(cleanups) : undefined;
    const address = ns?.vmAddress ?? '127.0.0.1';
    let started: { child: ChildProcess; port: number } | undefined;
    for (let attempt = 0; attempt < 5 && !started; attempt++) {
      const port = ns ? 2222 : 40000 + Math.floor(Math.random() * 10000);
      started = await launch(dir, address, port, ns?.name, cleanups, options.env ?? {});
    }
    if (!started) throw new Error(`sshd did not start: ${await readLog(dir)}`);
    const { child, port } = started;
    const hostKey = (await fs.readFile(path.join(dir, 'host_key.pub'), 'utf8')).trim().split(' ');
    const hostPattern = port === 22 ? address : `[${address}]:${port}`;
    const knownHosts = path.join(dir, 'known_hosts');
    await fs.writeFile(knownHosts, `${hostPattern} ${hostKey[0]} ${hostKey[1]}\n`);
    return {
      address,
      port,
      user: 'root',
      url: `ssh://root@${address}:${port}`,
      identityFile: path.join(dir, 'user_key'),
      knownHosts,
      dir,
      pid: child.pid!,
      netns: ns?.name,
      silentAddress: ns?.silentAddress,
      async wrongKnownHostsLine() {
        const other = path.join(dir, `other_${randomBytes(3).toString('hex')}`);
        await keygen(other);
        const key = (await fs.readFile(`${other}.pub`, 'utf8')).trim().split(' ');
        return `${hostPattern} ${key[0]} ${key[1]}\n`;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function launch(
  dir: string,
  address: string,
  port: number,
  netns: string | undefined,
  cleanups: (() => Promise<void> | void)[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number } | undefined> {
  const setEnv = Object.entries({ SHLVL: '1', ...env }).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const config = path.join(dir, 'sshd_config');
  await fs.writeFile(
    config,
    [
      `Port ${port}`,
      `ListenAddress ${address}`,
      `HostKey ${path.join(dir, 'host_key')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'UseDNS no',
      'PrintMotd no',
      'PrintLastLog no',
      'MaxStartups 100',
      // Debian's bash sources ~/.bashrc for ssh commands when it is a top-level shell; this
      // machine's root .bashrc runs pyenv (~0.5 s a command). A "VM" with plain dotfiles is the
      // realistic case, so the session's shell counts as nested and skips it.
      `SetEnv ${setEnv.join(' ')}`,
      'LogLevel INFO',
      '',
    ].join('\n'),
  );
  const log = path.join(dir, 'sshd.log');
  await fs.rm(log, { force: true });
  const argv = [SSHD, '-D', '-f', config, '-E', log];
  const child = netns
    ? spawn('ip', ['netns', 'exec', netns, ...argv], { stdio: 'ignore' })
    : spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  let exited = false;
  let spawnError: Error | undefined;
  child.once('exit', () => {
    exited = true;
  });
  // A launcher (sshd, or ip for a namespace) that cannot run ends the wait at once.
  child.once('error', (err) => {
    exited = true;
    spawnError = err;
  });
  cleanups.push(() => killTree(child, netns));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !exited) {
    if (await canConnect(address, port)) return { child, port };
    await sleep(50);
  }
  if (spawnError) throw new Error(`${netns ? 'ip netns exec' : SSHD} could not run: ${spawnError.message}`);
  await killTree(child, netns);
  if (!exited || !/Bind to port|Address already in use|Cannot bind/.test(await readLog(dir))) {
    throw new Error(`sshd did not become ready on ${address}:${port}: ${await readLog(dir)}`);
  }
  return undefined; // Port taken: the caller tries another.
}

interface Namespace {
  name: string;
  vmAddress: string;
  silentAddress: string;
}

async function makeNamespace(cleanups: (() => Promise<void> | void)[]): Promise<Namespace> {
  const id = randomBytes(3).toString('hex');
  const name = `mcpgt-${id}`;
  const hostIf = `mg${id}h`;
  const vmIf = `mg${id}v`;
  const used = ip(['-o', '-4', 'addr', 'show']);
  const free = [...Array(150).keys()].map((i) => 100 + i).filter((x) => !used.includes(`10.200.${x}.`));
  const subnet = free[Math.floor(Math.random() * free.length)];
  if (subnet === undefined) throw new Error('no free 10.200.X.0/24 subnet');
  ip(['netns', 'add', name]);
  cleanups.push(() => {
    ip(['netns', 'del', name]);
  });
  ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', vmIf]);
  cleanups.push(() => {
    ip(['link', 'del', hostIf], true);
  });
  ip(['link', 'set', vmIf, 'netns', name]);
  ip(['addr', 'add', `10.200.${subnet}.1/24`, 'dev', hostIf]);
  ip(['link', 'set', hostIf, 'up']);
  ip(['-n', name, 'addr', 'add', `10.200.${subnet}.2/24`, 'dev', vmIf]);
  ip(['-n', name, 'link', 'set', vmIf, 'up']);
  ip(['-n', name, 'link', 'set', 'lo', 'up']);
  return { name, vmAddress: `10.200.${subnet}.2`, silentAddress: `10.200.${subnet}.3` };
}

function ip(args: string[], ignoreErrors = false): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (ignoreErrors) return '';
    throw err;
  }
}

/** Stop sshd and every session it forked: processes in the namespace, or descendants by PPID. */
async function killTree(child: ChildProcess, netns: string | undefined): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const pids = netns
    ? ip(['netns', 'pids', netns], true).split(/\s+/).filter(Boolean).map(Number)
    : [pid, ...descendants(pid)];
  if (!pids.includes(pid)) pids.push(pid);
  for (const p of pids) signal(p, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && pids.some(alive)) await sleep(50);
  for (const p of pids) if (alive(p)) signal(p, 'SIGKILL');
}

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // Exited while listing.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [p, pp] of parents) {
      if (pp === parent && !found.includes(p)) {
        found.push(p);
        queue.push(p);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function keygen(file: string): Promise<void> {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'mcp-gitops-test', '-f', file], {
    timeout: 10_000,
    stdio: 'ignore',
  });
}

async function readLog(dir: string): Promise<string> {
  return (await fs.readFile(path.join(dir, 'sshd.log'), 'utf8').catch(() => '')).trim();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
