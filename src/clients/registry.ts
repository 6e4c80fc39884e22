/**
 * The one registry of MCP client adapters, keyed by id. Each client is a folder
 * `src/clients/<id>/` whose `index.ts` exports its adapter; add it to the list below.
 */
import { McpGitopsError } from '../core/errors.js';
import { amazonQ } from './amazon-q/index.js';
import { amp } from './amp/index.js';
import { antigravity } from './antigravity/index.js';
import { augment } from './augment/index.js';
import { claudeCode } from './claude-code/index.js';
import { claudeDesktop } from './claude-desktop/index.js';
import { cline } from './cline/index.js';
import { clineCli } from './cline-cli/index.js';
import { codex } from './codex/index.js';
import { continueClient } from './continue/index.js';
import { copilotCli } from './copilot-cli/index.js';
import { crush } from './crush/index.js';
import { cursor } from './cursor/index.js';
import { factoryDroid } from './factory-droid/index.js';
import { geminiCli } from './gemini-cli/index.js';
import { goose } from './goose/index.js';
import { junie } from './junie/index.js';
import { kilo } from './kilo/index.js';
import { kiloCode } from './kilo-code/index.js';
import { kimi } from './kimi/index.js';
import { kiro } from './kiro/index.js';
import { lmStudio } from './lm-studio/index.js';
import { mistralVibe } from './mistral-vibe/index.js';
import { opencode } from './opencode/index.js';
import { qoder } from './qoder/index.js';
import { qwenCode } from './qwen-code/index.js';
import { rooCode } from './roo-code/index.js';
import { trae } from './trae/index.js';
import type { ClientAdapter, ClientId } from './types.js';
import { vscode } from './vscode/index.js';
import { vscodeInsiders } from './vscode-insiders/index.js';
import { windsurf } from './windsurf/index.js';
import { zed } from './zed/index.js';

const all: ClientAdapter[] = [
  claudeCode,
  claudeDesktop,
  codex,
  cursor,
  geminiCli,
  vscode,
  // editor family (mcpServers maps, see cline/editor-client.ts)
  windsurf,
  vscodeInsiders,
  cline,
  clineCli,
  rooCode,
  kiloCode,
  kiro,
  amazonQ,
  trae,
  qoder,
  lmStudio,
  junie,
  // CLI family (JSON files of their own shapes)
  amp,
  antigravity,
  augment,
  copilotCli,
  crush,
  factoryDroid,
  kilo,
  kimi,
  opencode,
  qwenCode,
  zed,
  // YAML shapes (yaml-client.ts)
  continueClient,
  goose,
  // TOML array of tables (toml-array-tables.ts)
  mistralVibe,
];

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
