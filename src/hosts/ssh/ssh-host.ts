/**
 * A remote machine behind the Host interface, through the OpenSSH client. Every operation is one
 * ssh round trip running a script from `remote-scripts.ts` (all words quoted). Multiplexed by
 * default: the first command opens a control master in a private 0700 directory, later commands
 * reuse it, `close()` ends it. Connection failures become `SshHostError` (ERR_HOST) naming the
 * reason — unreachable, login refused, host key mismatch or unknown — and are remembered, so a
 * host that failed is not dialled again in the same run.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import type { ExecOptions, ExecResult, Host, WriteOptions, WriteResult } from '../types.js';
import { classifySshStderr, type SshHostError, sshFailure } from './classify-ssh-error.js';
import { type Limiter, limitConcurrency } from './limit-concurrency.js';
import { MasterForwards } from './master-forwards.js';
import { connectTimeoutSec, knownHostsPath, openSshSession, type SshSession } from './open-ssh-session.js';
import { parseSshUrl, type SshAddress } from './parse-ssh-url.js';
import { exportEnv } from './quote.js';
import * as scripts from './remote-scripts.js';
import { runSsh, socketAppears, sshControl } from './run-ssh.js';
import { sshCommandArgs } from './ssh-args.js';
import type { PortForward, SocketForward } from './ssh-forwards.js';
import type { SshHostOptions } from './ssh-host-options.js';

export type { SshHostOptions };

/** Extra time the local ssh gets beyond the remote `timeout`, so the remote side is stopped first. */
const LOCAL_GRACE_MS = 3000;

export class SshHost implements Host {
  readonly id: string;
  readonly kind = 'ssh' as const;
  readonly address: SshAddress;
  private readonly options: SshHostOptions;
  private readonly limit: Limiter;
  private session?: Promise<SshSession>;
  /** Settles once the first command has (or has not) brought up the control master. */
  private firstContact?: Promise<unknown>;
  private failure?: SshHostError;
  private homeDir?: Promise<string>;
  private trips = 0;
  private socket?: string;
  private readonly forwards: MasterForwards;

  constructor(options: SshHostOptions) {
    this.options = options;
    this.address = parseSshUrl(options.url);
    this.id = this.address.url;
    this.limit = limitConcurrency(options.maxConcurrent ?? 8);
    this.forwards = new MasterForwards({
      id: this.id,
      multiplexed: this.multiplexed,
      session: () => this.openSession(),
      connect: async () => {
        await this.run(':');
      },
    });
  }

  /** ssh invocations that reached (or tried to reach) the host. */
  get roundTrips(): number {
    return this.trips;
  }

  /** The control socket while a session is open (multiplexed hosts only). */
  get controlPath(): string | undefined {
    return this.socket;
  }

  get multiplexed(): boolean {
    return this.options.multiplex ?? true;
  }

  async home(): Promise<string> {
    this.homeDir ??= this.remoteHome().catch((err: unknown) => {
      this.homeDir = undefined;
      throw err;
    });
    return this.homeDir;
  }

  async expand(p: string): Promise<string> {
    if (p !== '~' && !p.startsWith('~/')) return p;
    return path.posix.join(await this.home(), p.slice(1));
  }

  async readFile(p: string): Promise<string | undefined> {
    const r = await this.run(scripts.readFileScript(p));
    if (r.exitCode === scripts.MISSING_EXIT) return undefined;
    if (r.exitCode !== 0) throw this.ioError(`cannot read ${p}`, r);
    return r.stdout;
  }

  async writeFile(p: string, data: string, options: WriteOptions = {}): Promise<WriteResult> {
    const token = randomBytes(6).toString('hex');
    const removeStaleBackup = options.removeStaleBackup;
    const script = scripts.writeFileScript(p, { mode: options.mode, removeStaleBackup, token });
    const r = await this.run(script, { input: data });
    if (r.exitCode !== 0) throw this.ioError(`cannot write ${p}`, r);
    return removeStaleBackup && r.stdout !== '' ? { removedStaleBackup: r.stdout } : {};
  }

  async remove(p: string, options: { recursive?: boolean } = {}): Promise<void> {
    const r = await this.run(scripts.removeScript(p, options.recursive ?? false));
    if (r.exitCode !== 0) throw this.ioError(`cannot remove ${p}`, r);
  }

  async exists(p: string): Promise<boolean> {
    const r = await this.run(scripts.existsScript(p));
    if (r.exitCode > 1) throw this.ioError(`cannot check ${p}`, r);
    return r.exitCode === 0;
  }

  async mkdir(p: string, mode?: number): Promise<void> {
    const r = await this.run(scripts.mkdirScript(p, mode));
    if (r.exitCode !== 0) throw this.ioError(`cannot create directory ${p}`, r);
  }

  async exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? 300_000;
    const env = options.env ?? {};
    // Environment values travel on stdin when the command does not need it (kept out of argv).
    const envOnStdin = Object.keys(env).length > 0 && options.input === undefined;
    const script = scripts.execScript(command, args, { cwd: options.cwd, env, timeoutMs, envOnStdin });
    const input = envOnStdin ? exportEnv(env) : options.input;
    const result = await this.run(script, { input, timeoutMs });
    if (options.reject === true && result.exitCode !== 0) {
      throw new McpGitopsError('ERR_HOST', `${command} exited with code ${result.exitCode} on ${this.id}`, {
        hint: lastLine(result.stderr) || 'run the command on the host by hand to see its output',
      });
    }
    return result;
  }

  async which(command: string): Promise<string | undefined> {
    if (command === '' || command.startsWith('-')) return undefined;
    const r = await this.run(scripts.whichScript(command));
    return r.exitCode === 0 && r.stdout.startsWith('/') ? r.stdout : undefined;
  }

  /**
   * The local argv (`ssh …options… -- host script`) that runs `script` on the host with stdin and
   * stdout attached, through the control master when multiplexed — for a long-lived stream such as
   * an MCP stdio session. Counted as a round trip.
   */
  async streamArgv(script: string): Promise<string[]> {
    if (this.failure) throw this.failure;
    const session = await this.openSession();
    this.trips++;
    return ['ssh', ...sshCommandArgs(session.settings, script)];
  }

  /** Ask the control master whether it is up (`ssh -O check`); false when not multiplexed. */
  async masterRunning(): Promise<boolean> {
    if (!this.multiplexed || !this.session) return false;
    const { settings } = await this.session;
    return (await sshControl(settings, 'check')).exitCode === 0;
  }

  /**
   * A unix socket here (in the session's private directory) that reaches `remotePath` on the
   * host through the control master: one per path, reused for the session, gone on `close()`.
   */
  async forwardSocket(remotePath: string): Promise<SocketForward> {
    return this.forwards.socket(remotePath);
  }

  /** A port on 127.0.0.1 here that reaches `remoteHost:remotePort` as the host sees it. */
  async forwardPort(remoteHost: string, remotePort: number): Promise<PortForward> {
    return this.forwards.port(remoteHost, remotePort);
  }

  async close(): Promise<void> {
    this.forwards.clear();
    const pending = this.session;
    this.session = undefined;
    this.firstContact = undefined;
    this.homeDir = undefined;
    this.socket = undefined;
    if (!pending) return;
    let session: SshSession;
    try {
      session = await pending;
    } catch {
      return; // Setup failed: it cleaned up after itself.
    }
    if (this.multiplexed) {
      await sshControl(session.settings, 'exit');
    }
    await fs.rm(session.dir, { recursive: true, force: true });
  }

  /** One round trip: run `script` with the host's login shell, with `input` on stdin. */
  private async run(
    script: string,
    options: { input?: string; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    if (this.failure) throw this.failure;
    const session = await this.openSession();
    if (this.multiplexed) {
      if (this.firstContact) {
        await this.firstContact.catch(() => undefined);
        if (this.failure) throw this.failure;
      } else {
        // Others wait for the master, not for this command: it may run for minutes.
        const first = this.limit(() => this.spawn(session, script, options));
        this.firstContact = Promise.race([first, socketAppears(session.settings.controlPath!, first)]);
        this.firstContact.catch(() => undefined);
        return first;
      }
    }
    return this.limit(() => this.spawn(session, script, options));
  }

  private async spawn(
    session: SshSession,
    script: string,
    options: { input?: string; timeoutMs?: number },
  ): Promise<ExecResult> {
    if (this.failure) throw this.failure;
    this.trips++;
    const connectMs = this.options.connectTimeoutMs ?? 10_000;
    const remoteMs = options.timeoutMs ?? this.options.commandTimeoutMs ?? 300_000;
    const r = await runSsh(session.settings, script, {
      input: options.input,
      timeoutMs: remoteMs + connectMs + LOCAL_GRACE_MS,
    });
    if (r.timedOut) {
      const stderr = `${r.stderr}ssh: command timed out after ${remoteMs} ms on ${this.id}\n`;
      return { exitCode: 124, stdout: r.stdout, stderr };
    }
    if (r.exitCode === 255 && !r.started) {
      const failure = this.failWith(classifySshStderr(r.stderr) ?? 'ssh', r.stderr);
      if (failure.reason !== 'ssh') this.failure = failure;
      throw failure;
    }
    if (!r.ended) {
      // The connection broke mid-command: not remembered, the next operation dials again.
      throw this.failWith('unreachable', r.stderr || 'the connection closed while a command ran');
    }
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  }

  private failWith(reason: Parameters<typeof sshFailure>[0], stderr: string): SshHostError {
    return sshFailure(reason, stderr, {
      url: this.id,
      knownHostsFile: knownHostsPath(this.options.knownHosts, this.options.repoRoot),
      connectTimeoutSec: connectTimeoutSec(this.options.connectTimeoutMs),
    });
  }

  private openSession(): Promise<SshSession> {
    this.session ??= openSshSession({
      ...this.options,
      address: this.address,
      multiplex: this.multiplexed,
    }).then(
      (session) => {
        this.socket = session.settings.controlPath;
        return session;
      },
      (err: unknown) => {
        this.session = undefined;
        throw err;
      },
    );
    return this.session;
  }

  private async remoteHome(): Promise<string> {
    const configured = this.options.home;
    if (configured !== undefined && configured !== '~' && !configured.startsWith('~/')) return configured;
    const r = await this.run(scripts.homeScript());
    if (r.exitCode !== 0 || !r.stdout.startsWith('/')) {
      throw new McpGitopsError('ERR_HOST', `cannot find the home directory on ${this.id}`, {
        hint: 'set home: on the target to an absolute path on that host',
      });
    }
    return configured === undefined ? r.stdout : path.posix.join(r.stdout, configured.slice(1));
  }

  private ioError(message: string, r: ExecResult): McpGitopsError {
    const reason = lastLine(r.stderr) || `exit code ${r.exitCode}`;
    return new McpGitopsError('ERR_IO', `${message} on ${this.id}: ${reason}`, {
      hint: 'check that the path exists and is writable by the ssh user',
    });
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
