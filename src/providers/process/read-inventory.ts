/**
 * One command on the host lists an environment's server directories with their records and
 * whether their processes are alive (see inventory-script.ts).
 */
import { McpGitopsError } from '../../core/errors.js';
import type { Host } from '../../hosts/types.js';
import { INVENTORY_SCRIPT } from './inventory-script.js';
import type { Layout } from './process-settings.js';
import { isServerRecord, type ServerRecord } from './server-record.js';

export interface InventoryEntry {
  name: string;
  record?: ServerRecord;
  pid?: number;
  running: boolean;
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

export async function readInventory(host: Host, layout: Layout): Promise<InventoryEntry[]> {
  const node = await hostNode(host);
  const result = await host.exec(node, ['-e', INVENTORY_SCRIPT, layout.serversDir, layout.launcher], {
    timeoutMs: 30_000,
  });
  if (result.exitCode !== 0) {
    throw new McpGitopsError('ERR_HOST', `listing ${layout.serversDir} failed (exit ${result.exitCode})`, {
      hint: result.stderr.trim().split('\n').pop(),
    });
  }
  const rows = JSON.parse(result.stdout) as {
    name: string;
    spec: unknown;
    pid: number | null;
    running: boolean;
  }[];
  return rows.map((row) => ({
    name: row.name,
    ...(isServerRecord(row.spec) ? { record: row.spec } : {}),
    ...(row.pid ? { pid: row.pid } : {}),
    running: row.running,
  }));
}
