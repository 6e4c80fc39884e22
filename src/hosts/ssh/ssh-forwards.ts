/**
 * Local forwards on a host's running control master (`ssh -O forward -L …`): a unix socket here
 * that reaches a unix socket there (a container engine's API), or a loopback TCP port here that
 * reaches `address:port` as seen from the host (a server published on the host's loopback). No
 * new connection or login: each forwarded connection is one more channel of the master. Local
 * socket files live in the host session's private 0700 directory; everything ends with the master.
 */
import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import { McpGitopsError } from '../../core/errors.js';
import { loadExeca } from '../load-execa.js';
import { sshControl } from './run-ssh.js';
import { type SshConnectionSettings, sshForwardArgs } from './ssh-args.js';

export interface SocketForward {
  /** Unix socket on this machine; connections to it reach `remotePath` on the host. */
  localPath: string;
  remotePath: string;
  /** Remove the forward (the host's `close()` removes every forward anyway). */
  close(): Promise<void>;
}

export interface PortForward {
  /** Port on 127.0.0.1 here; connections to it reach `remoteHost:remotePort` from the host. */
  localPort: number;
  remoteHost: string;
  remotePort: number;
  close(): Promise<void>;
}

const CONTROL_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;
/** Characters ssh's `-L` parser splits on or cannot carry. */
const UNSAFE_PATH = /[:\s\0]/;

/** The control master's pid when one is running, from `ssh -O check`. */
export async function masterPid(settings: SshConnectionSettings): Promise<number | undefined> {
  if (settings.controlPath === undefined) return undefined;
  const r = await sshControl(settings, 'check');
  const m = /Master running \(pid=(\d+)\)/.exec(`${r.stderr}\n${r.stdout}`);
  return r.exitCode === 0 && m ? Number(m[1]) : undefined;
}

export async function forwardUnixSocket(
  settings: SshConnectionSettings,
  localPath: string,
  remotePath: string,
  where: string,
): Promise<SocketForward> {
  if (!path.posix.isAbsolute(remotePath) || UNSAFE_PATH.test(remotePath)) {
    throw new McpGitopsError('ERR_HOST', `cannot forward ${JSON.stringify(remotePath)} on ${where}`, {
      hint: 'give an absolute socket path without colons or spaces',
    });
  }
  const spec = `${localPath}:${remotePath}`;
  await control(settings, 'forward', spec, where);
  return {
    localPath,
    remotePath,
    close: async () => {
      await control(settings, 'cancel', spec, where).catch(() => undefined);
      await fs.rm(localPath, { force: true });
    },
  };
}

export async function forwardTcpPort(
  settings: SshConnectionSettings,
  remoteHost: string,
  remotePort: number,
  where: string,
): Promise<PortForward> {
  if (!/^[A-Za-z0-9.:-]+$/.test(remoteHost) || !Number.isInteger(remotePort) || remotePort < 1) {
    throw new McpGitopsError('ERR_HOST', `cannot forward ${remoteHost}:${remotePort} on ${where}`, {
      hint: 'give an IP address or host name and a port',
    });
  }
  const target = remoteHost.includes(':') ? `[${remoteHost}]` : remoteHost;
  let lastError: unknown;
  // ssh cannot pick a free port for a local forward: take one that was free a moment ago, and
  // try another if something took it in between.
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const localPort = await freeLoopbackPort();
    const spec = `127.0.0.1:${localPort}:${target}:${remotePort}`;
    try {
      await control(settings, 'forward', spec, where);
    } catch (err) {
      lastError = err;
      continue;
    }
    return {
      localPort,
      remoteHost,
      remotePort,
      close: () => control(settings, 'cancel', spec, where).catch(() => undefined),
    };
  }
  throw lastError;
}

async function control(
  settings: SshConnectionSettings,
  operation: 'forward' | 'cancel',
  spec: string,
  where: string,
): Promise<void> {
  const r = await (await loadExeca())('ssh', sshForwardArgs(settings, operation, spec), {
    reject: false,
    timeout: CONTROL_TIMEOUT_MS,
    stdin: 'ignore',
  });
  if (r.exitCode === 0) return;
  const reason = (r.stderr || r.stdout || `exit code ${r.exitCode}`).trim().split('\n').pop();
  throw new McpGitopsError('ERR_HOST', `${where}: ssh could not ${operation} ${spec}: ${reason}`, {
    hint: "the host's sshd must allow forwarding (AllowTcpForwarding / AllowStreamLocalForwarding, default yes)",
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
