/**
 * `client-config`: registers servers as native entries in MCP client config files (Claude Code,
 * Claude Desktop, Cursor, VS Code, Gemini CLI, Codex — one adapter each in `src/clients/`).
 * Structural edits only; it owns just the entries in its inventory on the target's host.
 */
import type { Provider } from '../types.js';
import { inventoryPath } from './inventory.js';
import { renderEntries } from './render-entries.js';
import { unsupportedReasons } from './target-clients.js';
import { validateClientConfigTarget } from './validate-target.js';

/** Changes to one target's files and inventory run one at a time. */
const queues = new Map<string, Promise<unknown>>();

export const clientConfigProvider: Provider = {
  id: 'client-config',
  description:
    'native entries in MCP client config files (Claude Code, Claude Desktop, Cursor, VS Code, Gemini CLI, Codex)',
  validateTarget: validateClientConfigTarget,
  supports: (server, target) => unsupportedReasons(server, target).length === 0,
  render: (server, target, environment) => renderEntries(server, target, environment),
  // observe, apply and endpoint load the client adapters (TOML / JSONC parsers) on use: validate and
  // render, which only need the pure methods, never pay for them.
  async observe(ctx) {
    const { observeClients } = await import('./observe-clients.js');
    return observeClients(ctx);
  },
  async apply(ctx, change) {
    const { applyClientChange } = await import('./apply-change.js');
    const key = `${ctx.host.id}\u0000${await inventoryPath(ctx.host, ctx.environment.name, ctx.target.name)}`;
    const run = (queues.get(key) ?? Promise.resolve()).then(() => applyClientChange(ctx, change));
    const settled = run.catch(() => undefined);
    queues.set(key, settled);
    try {
      return await run;
    } finally {
      if (queues.get(key) === settled) queues.delete(key);
    }
  },
  async endpoint(ctx, server) {
    const { serverEndpoint } = await import('./server-endpoint.js');
    return serverEndpoint(ctx, server);
  },
};

export { unsupportedReasons };
