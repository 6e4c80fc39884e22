/**
 * The one registry of MCP client adapters, keyed by id. Each client is a folder
 * `src/clients/<id>/` whose `index.ts` exports its adapter; add it to the list below.
 */
import { McpGitopsError } from '../core/errors.js';
import { claudeCode } from './claude-code/index.js';
import { claudeDesktop } from './claude-desktop/index.js';
import { codex } from './codex/index.js';
import { cursor } from './cursor/index.js';
import { geminiCli } from './gemini-cli/index.js';
import type { ClientAdapter, ClientId } from './types.js';
import { vscode } from './vscode/index.js';

const all: ClientAdapter[] = [claudeCode, claudeDesktop, codex, cursor, geminiCli, vscode];

const registry: ReadonlyMap<string, ClientAdapter> = new Map(all.map((c) => [c.id, c]));

export function clientIds(): ClientId[] {
  return all.map((c) => c.id).sort();
}

export function isClientId(id: string): id is ClientId {
  return registry.has(id);
}

export function getClient(id: string): ClientAdapter {
  const client = registry.get(id);
  if (!client) {
    throw new McpGitopsError('ERR_PROVIDER', `unknown MCP client "${id}"`, {
      hint: `valid clients: ${clientIds().join(', ')}`,
    });
  }
  return client;
}
