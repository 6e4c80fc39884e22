/**
 * The listening TCP sockets of the local host, read once for a burst of port checks (issue 16).
 * Verifying a run's servers asks, for each of them, who holds its port (server-endpoint.ts), and
 * each answer read /proc/net/tcp and /proc/net/tcp6 again: the kernel walks its whole connection
 * table for every read, ~3.5 ms each here even with nothing connected — 1.4 s of CPU for 200
 * servers, 5–6 s of a loaded run. A snapshot is shared by the checks made within SNAPSHOT_MS of
 * it.
 *
 * Only the check before connecting uses it, and only its "free" and "ours" answers stand: a port
 * the snapshot shows held by another process is asked about again with a fresh read (it may have
 * been freed since), and the check after a handshake (`notOurs`) always reads afresh. Over ssh
 * each check is one command on the host that reads for itself: no snapshot.
 */
import type { Host } from '../../hosts/types.js';
import { HOST_PROC_SCRIPT } from './host-proc-script.js';
import { runInProcess } from './run-host-script.js';

/** One listening socket, as host-proc-script.ts's listeningSockets() reads it. */
export interface ListeningSocket {
  port: number;
  address: string;
  uid: number;
  inode: string;
}

/** How long a snapshot answers for: the checks of one verification pass, not a whole run. */
export const SNAPSHOT_MS = 1000;

const SCRIPT = `'use strict';
const fs = require('node:fs');
${HOST_PROC_SCRIPT}
process.stdout.write(JSON.stringify(listeningSockets()));
`;

interface Snapshot {
  at: number;
  byPort: Map<number, ListeningSocket[]>;
}

const snapshots = new WeakMap<Host, Snapshot>();

/**
 * The sockets listening on `port` of the local host as read at most SNAPSHOT_MS ago, or undefined
 * where there is no snapshot to share (an ssh host, or /proc could not be read): the check reads
 * for itself then.
 */
export function recentListeners(
  host: Host,
  port: number,
  /** Milliseconds on the monotonic clock (`performance.now()`). */
  now: number = performance.now(),
): { port: number; sockets: ListeningSocket[] } | undefined {
  if (host.kind !== 'local') return undefined;
  let snapshot = snapshots.get(host);
  if (!snapshot || now - snapshot.at >= SNAPSHOT_MS) {
    const result = runInProcess(process.execPath, SCRIPT, []);
    if (result.exitCode !== 0) return undefined;
    const byPort = new Map<number, ListeningSocket[]>();
    for (const socket of JSON.parse(result.stdout) as ListeningSocket[]) {
      const list = byPort.get(socket.port);
      if (list) list.push(socket);
      else byPort.set(socket.port, [socket]);
    }
    snapshot = { at: now, byPort };
    snapshots.set(host, snapshot);
  }
  return { port, sockets: snapshot.byPort.get(port) ?? [] };
}
