/**
 * One command on the host lists an environment's server directories with their records, whether
 * their launchers and servers are alive, the launchers' state and, for one server on request, who
 * holds its port — all of them, or only the one named by `only` (see inventory-script.ts; on the
 * local host it runs in this process, see run-host-script.ts). An environment with no server
 * directories is read without that command where the host can list a directory itself (the local
 * host).
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';
import { INVENTORY_SCRIPT } from './inventory-script.js';
import { isLauncherState, type ServerLiveness } from './launcher-state.js';
import type { ListeningSocket } from './listener-snapshot.js';
import type { Layout } from './process-settings.js';
import { runHostScript } from './run-host-script.js';
import { isServerRecord, type ServerRecord } from './server-record.js';

/** Who holds a server's listening socket (`foreign` comes with a `reason` to report). */
export interface PortOwner {
  state: 'free' | 'ours' | 'foreign';
  pid?: number;
  comm?: string;
  /** `environment/server` when another mcp-gitops server holds it. */
  server?: string;
  reason?: string;
}

export interface InventoryEntry {
  name: string;
  record?: ServerRecord;
  /** The launcher's pid from the pidfile. */
  pid?: number;
  /** The launcher in the pidfile is alive and ours (what stopping needs to know). */
  running: boolean;
  /** The pid in the pidfile is alive, ours or not (yet: start-stop-daemon forks before node runs). */
  pidAlive: boolean;
  live: ServerLiveness;
  /** Only for the server named in `readInventory(…, { checkPortOf })`. */
  port?: PortOwner;
}

const nodePaths = new WeakMap<Host, Promise<string | undefined>>();

/** Absolute path of node on the host (looked up once per host: every lookup is a round trip over ssh). */
export async function hostNode(host: Host): Promise<string> {
  let pending = nodePaths.get(host);
  if (!pending) {
    pending = host.which('node');
    nodePaths.set(host, pending);
  }
  const node = await pending;
  if (!node) {
    nodePaths.delete(host);
    throw new McpGitopsError('ERR_HOST', `node is not on the PATH of host ${host.id}`, {
      hint: 'the process provider needs Node.js on the host',
    });
  }
  return node;
}

export async function readInventory(
  host: Host,
  layout: Layout,
  options: {
    checkPortOf?: string;
    only?: string;
    /** The listening sockets on a port, read a moment ago (listener-snapshot.ts): used when it is `checkPortOf`'s. */
    listeners?: { port: number; sockets: readonly ListeningSocket[] };
  } = {},
): Promise<InventoryEntry[]> {
  // Nothing applied yet (or everything removed): where the host lists a directory without a
  // child process, an empty inventory costs no `node -e` (the script would print [] as well).
  // (Asked about one server, the script looks at that directory alone: no listing first.)
  const names = options.only ? undefined : await host.listDirectories?.(layout.serversDir);
  if (names?.length === 0) return [];
  const node = await hostNode(host);
  const args = [layout.serversDir, layout.launcher, options.checkPortOf ?? '', options.only ?? ''];
  if (options.listeners) args.push(JSON.stringify(options.listeners));
  const result = await runHostScript(host, node, INVENTORY_SCRIPT, args, 30_000);
  if (result.exitCode !== 0) {
    throw new McpGitopsError('ERR_HOST', `listing ${layout.serversDir} failed (exit ${result.exitCode})`, {
      hint: result.stderr.trim().split('\n').pop(),
    });
  }
  const rows = JSON.parse(result.stdout) as {
    name: string;
    spec: unknown;
    pid: number | null;
    pidAlive: boolean;
    running: boolean;
    state: unknown;
    childRunning: boolean;
    logTail?: string[];
    port?: PortOwner;
  }[];
  return rows.map((row) => ({
    name: row.name,
    ...(isServerRecord(row.spec) ? { record: row.spec } : {}),
    ...(row.pid ? { pid: row.pid } : {}),
    running: row.running,
    pidAlive: row.pidAlive,
    live: {
      launcherRunning: row.running,
      ...(row.pid ? { launcherPid: row.pid } : {}),
      ...(isLauncherState(row.state) ? { state: row.state } : {}),
      childRunning: row.childRunning,
      ...(row.logTail ? { logTail: row.logTail } : {}),
    },
    ...(row.port ? { port: row.port } : {}),
  }));
}
