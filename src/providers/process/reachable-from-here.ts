/**
 * Can the reconciler open a TCP connection to a server's port on a remote host? Connected: yes.
 * No answer at all (filtered, no route): no, at once. Refused: the host answers but nothing
 * listens there yet — a server just started may still be booting — so it is asked again until
 * `waitMs`, then no.
 */
import * as net from 'node:net';

const ATTEMPT_TIMEOUT_MS = 2000;
const RETRY_MS = 100;

export async function reachableFromHere(host: string, port: number, waitMs = 5000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const outcome = await connectOnce(host, port);
    if (outcome === 'connected') return true;
    if (outcome === 'silent' || Date.now() + RETRY_MS > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

function connectOnce(host: string, port: number): Promise<'connected' | 'refused' | 'silent'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: ATTEMPT_TIMEOUT_MS });
    const done = (outcome: 'connected' | 'refused' | 'silent') => {
      socket.destroy();
      resolve(outcome);
    };
    socket.once('connect', () => done('connected'));
    socket.once('timeout', () => done('silent'));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' ? 'refused' : 'silent'),
    );
  });
}
