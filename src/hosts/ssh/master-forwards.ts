/**
 * The forwards of one ssh host, kept for its session: one per thing reached (a remote socket
 * path, a remote address and port), reused while the control master that carries them lives.
 * A master that went away (idle past ControlPersist, or killed) takes its forwards with it: the
 * next request brings a new master up and forwards again.
 */
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import type { SshSession } from './open-ssh-session.js';
import {
  forwardTcpPort,
  forwardUnixSocket,
  masterPid,
  type PortForward,
  type SocketForward,
} from './ssh-forwards.js';

export interface MasterAccess {
  /** `ssh://…` for messages. */
  id: string;
  multiplexed: boolean;
  session(): Promise<SshSession>;
  /** Run a trivial command, which brings the master up (or throws why the host is unreachable). */
  connect(): Promise<void>;
}

type Forward = SocketForward | PortForward;

export class MasterForwards {
  private readonly entries = new Map<string, { pid: number; forward: Promise<Forward> }>();
  private count = 0;

  constructor(private readonly host: MasterAccess) {}

  socket(remotePath: string): Promise<SocketForward> {
    return this.get(`unix:${remotePath}`, (session) =>
      forwardUnixSocket(
        session.settings,
        path.join(session.dir, `fwd-${++this.count}.sock`),
        remotePath,
        this.host.id,
      ),
    ) as Promise<SocketForward>;
  }

  port(remoteHost: string, remotePort: number): Promise<PortForward> {
    return this.get(`tcp:${remoteHost}:${remotePort}`, (session) =>
      forwardTcpPort(session.settings, remoteHost, remotePort, this.host.id),
    ) as Promise<PortForward>;
  }

  /** Forget every forward (they end with the master, their sockets with the session directory). */
  clear(): void {
    this.entries.clear();
  }

  private async get(key: string, make: (session: SshSession) => Promise<Forward>): Promise<Forward> {
    if (!this.host.multiplexed) {
      throw new McpGitopsError('ERR_HOST', `${this.host.id}: forwarding rides on the ssh control master`, {
        hint: 'remove multiplex: false from the target',
      });
    }
    const session = await this.host.session();
    let pid = await masterPid(session.settings);
    if (pid === undefined) {
      await this.host.connect();
      pid = await masterPid(session.settings);
    }
    if (pid === undefined) {
      throw new McpGitopsError('ERR_HOST', `${this.host.id}: the ssh control master is not running`, {
        hint: 'run the same ssh command by hand with -v to see why',
      });
    }
    const known = this.entries.get(key);
    if (known && known.pid === pid) return known.forward;
    const forward: Promise<Forward> = make(session).then((f) => ({
      ...f,
      close: async () => {
        if (this.entries.get(key)?.forward === forward) this.entries.delete(key);
        await f.close();
      },
    }));
    this.entries.set(key, { pid, forward });
    forward.catch(() => {
      if (this.entries.get(key)?.forward === forward) this.entries.delete(key);
    });
    return forward;
  }
}
