/**
 * The provider's inventory (Flux keeps one per Kustomization): which servers mcp-gitops wrote into
 * which client files on a target. It lives on the target's host, so a second checkout or machine
 * running mcp-gitops knows what it owns; entries not listed here are the user's and never touched.
 */
import { McpGitopsError } from '../../core/errors.js';
import type { ServerSpec } from '../../core/resources.js';
import type { Host } from '../../hosts/types.js';
import type { Logger } from '../../log/logger.js';
import { backupFolder, writeWithBackup } from './backups.js';
import { statePath } from './state-dir.js';

export interface InventoryServer {
  spec: ServerSpec;
  specHash: string;
  /** Client id → absolute path of the file the entry was written to. */
  clients: Record<string, string>;
}

export interface Inventory {
  formatVersion: 1;
  environment: string;
  target: string;
  servers: Record<string, InventoryServer>;
}

export async function inventoryPath(host: Host, environment: string, target: string): Promise<string> {
  return statePath(host, 'inventory', environment, `${target}.json`);
}

export async function readInventory(host: Host, environment: string, target: string): Promise<Inventory> {
  const file = await inventoryPath(host, environment, target);
  const text = await host.readFile(file);
  if (text === undefined) return { formatVersion: 1, environment, target, servers: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new McpGitopsError('ERR_IO', `inventory ${file} is not valid JSON: ${(err as Error).message}`, {
      hint: `restore it from its last backup in ${await backupFolder(host, file)} (index.json lists them), or delete it to stop owning the entries it lists`,
    });
  }
  if (!isInventory(data)) {
    throw new McpGitopsError('ERR_IO', `inventory ${file} is not an mcp-gitops inventory (formatVersion 1)`, {
      hint: `restore it from its last backup in ${await backupFolder(host, file)} (index.json lists them), or delete it`,
    });
  }
  return data;
}

export async function writeInventory(host: Host, inventory: Inventory, logger?: Logger): Promise<void> {
  const file = await inventoryPath(host, inventory.environment, inventory.target);
  const servers = Object.fromEntries(
    Object.entries(inventory.servers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const text = `${JSON.stringify({ ...inventory, servers }, null, 2)}\n`;
  const previous = await host.readFile(file);
  if (previous === text) return;
  await writeWithBackup(host, file, text, { previous, mode: 0o600, logger });
}

function isInventory(data: unknown): data is Inventory {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    d.formatVersion === 1 && typeof d.servers === 'object' && d.servers !== null && !Array.isArray(d.servers)
  );
}
