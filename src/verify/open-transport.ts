/**
 * An MCP client transport for an endpoint, with a close that is quick and certain: the SDK's stdio
 * close waits up to 4 s (stdin end, then TERM, then KILL), so the child is signalled first; an
 * HTTP session is terminated (DELETE) with a short bound so the server can free it.
 * The transports are the 2.x client SDK's, which speak both protocol revisions (2026-07-28's
 * per-request headers and 2025-era sessions).
 */
import {
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Endpoint } from '../providers/types.js';

const STDERR_TAIL_BYTES = 2048;
const CLOSE_GRACE_MS = 1000;

export interface OpenedTransport {
  transport: Transport;
  /** stdio only: the child was started and has exited since. */
  exited(): boolean;
  /** stdio only: the last bytes the child wrote to stderr. */
  stderrTail(): string;
  close(): Promise<void>;
}

export function openTransport(endpoint: Endpoint): OpenedTransport {
  return endpoint.kind === 'stdio' ? openStdio(endpoint) : openHttp(endpoint);
}

/**
 * The SDK probes `server/discover` on a second, throw-away copy of the process when given its own
 * stdio transport exactly; a subclass is probed in place, on the one process verification started
 * (a provider's stdio endpoint may be an ssh session or a container run: one start, not two).
 * A server that exits on the unknown method is retried with `initialize` (list-tools-once.ts).
 */
class InPlaceStdioTransport extends StdioClientTransport {}

function openStdio(endpoint: Extract<Endpoint, { kind: 'stdio' }>): OpenedTransport {
  const transport = new InPlaceStdioTransport({
    command: endpoint.command,
    args: endpoint.args,
    env: { ...getDefaultEnvironment(), ...endpoint.env },
    cwd: endpoint.cwd,
    stderr: 'pipe',
  });
  let tail = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  // The child "exited" only if it closed before anyone asked the transport to close: the SDK's
  // Client also closes the transport when the handshake fails, so `pid === null` is not enough.
  let closeRequested = false;
  let exitedOnItsOwn = false;
  let pid: number | undefined;
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    pid = transport.pid ?? undefined;
  };
  const closeTransport = transport.close.bind(transport);
  transport.close = () => {
    closeRequested = true;
    return closeTransport();
  };
  transport.onclose = () => {
    if (!closeRequested) exitedOnItsOwn = true;
  };
  return {
    transport,
    exited: () => exitedOnItsOwn,
    stderrTail: () => tail.trim(),
    async close() {
      if (pid !== undefined && transport.pid !== null) signal(pid, 'SIGTERM');
      await bounded(transport.close(), CLOSE_GRACE_MS);
      if (pid !== undefined && isAlive(pid)) signal(pid, 'SIGKILL');
    },
  };
}

function openHttp(endpoint: Extract<Endpoint, { kind: 'http' }>): OpenedTransport {
  const url = new URL(endpoint.url);
  const requestInit: RequestInit = endpoint.headers ? { headers: endpoint.headers } : {};
  if (endpoint.transport === 'sse') {
    const transport = new SSEClientTransport(url, { requestInit });
    return {
      transport,
      exited: () => false,
      stderrTail: () => '',
      close: () => bounded(transport.close(), CLOSE_GRACE_MS),
    };
  }
  const transport = new StreamableHTTPClientTransport(url, { requestInit });
  return {
    transport,
    exited: () => false,
    stderrTail: () => '',
    async close() {
      if (transport.sessionId) await bounded(transport.terminateSession(), CLOSE_GRACE_MS);
      await bounded(transport.close(), CLOSE_GRACE_MS);
    },
  };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Wait for a promise at most `ms`, never rejecting: closing is best effort. */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
