/**
 * Wait until a server answers HTTP through an ssh port forward, before verification speaks MCP
 * to it. Through a forward, a port nothing listens on yet does not refuse: ssh accepts the local
 * connection, the host refuses the channel, and ssh closes the connection before reading a byte —
 * which Node 20's fetch does not report as an error but waits on until its timeout. So each probe
 * here is a raw connection with one small HTTP request: any bytes back mean the server answers;
 * a close without any means not yet. While it waits, `exited` says at once when the container has
 * stopped (thrown, with its reason), so a server that crashes on start fails fast.
 */
import * as net from 'node:net';
import { McpGitopsError } from '../../core/errors.js';

const PROBE_TIMEOUT_MS = 3000;
const RETRY_MS = 150;
/** How often (in probes) to ask the engine whether the container still runs. */
const EXIT_CHECK_EVERY = 5;

export async function awaitForwardedPort(options: {
  localPort: number;
  path: string;
  waitMs: number;
  /** What to call the server in messages (its address on the host). */
  display: string;
  exited: () => Promise<string | undefined>;
}): Promise<void> {
  const deadline = Date.now() + options.waitMs;
  for (let probe = 1; ; probe++) {
    if ((await answers(options.localPort, options.path)) === 'answered') return;
    if (probe % EXIT_CHECK_EVERY === 1) {
      const gone = await options.exited().catch(() => undefined);
      if (gone) throw new McpGitopsError('ERR_PROVIDER', gone);
    }
    if (Date.now() + RETRY_MS > deadline) {
      throw new McpGitopsError(
        'ERR_PROVIDER',
        `${options.display}: nothing answered within ${options.waitMs} ms`,
        { hint: "check the server's port and that it listens on all of the container's interfaces" },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

function answers(port: number, path: string): Promise<'answered' | 'closed'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (outcome: 'answered' | 'closed') => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done('closed'));
    socket.once('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    socket.once('data', () => done('answered'));
    socket.once('end', () => done('closed'));
    socket.once('error', () => done('closed'));
    socket.once('close', () => done('closed'));
  });
}
