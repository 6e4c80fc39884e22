/**
 * `client-config`: registers servers as native entries in MCP client config files (Claude Code,
 * Claude Desktop, Cursor, VS Code, Gemini CLI, Codex — one adapter each in `src/clients/`).
 * Structural edits only; it owns just the entries in its inventory on the target's host.
 */
import type { Provider } from '../types.js';
import { renderEntries } from './render-entries.js';
import { unsupportedReasons } from './target-clients.js';
import { validateClientConfigTarget } from './validate-target.js';

/**
 * Changes on one host run one at a time, a batch holding its turn from open to commit: targets on
 * the same host can share client files (a user-scope file), and each reads a file, edits it and
 * writes it back.
 */
const queues = new Map<string, Promise<void>>();

/** Wait for the host's turn; the returned function gives it up (once). */
async function turn(host: string): Promise<() => void> {
  const before = queues.get(host) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  queues.set(host, mine);
  await before;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    release();
    if (queues.get(host) === mine) queues.delete(host);
  };
}

export const clientConfigProvider: Provider = {
  id: 'client-config',
  registersOnly: true,
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
    const done = await turn(ctx.host.id);
    try {
      return await applyClientChange(ctx, change);
    } finally {
      done();
    }
  },
  async openBatch(ctx) {
    const { ClientApplyBatch } = await import('./apply-batch.js');
    const done = await turn(ctx.host.id);
    try {
      const batch = await ClientApplyBatch.open(ctx);
      return {
        apply: (change) => batch.apply(change),
        async commit() {
          try {
            return await batch.commit();
          } finally {
            done();
          }
        },
      };
    } catch (err) {
      done();
      throw err;
    }
  },
  async endpoint(ctx, server) {
    const { serverEndpoint } = await import('./server-endpoint.js');
    return serverEndpoint(ctx, server);
  },
};

export { unsupportedReasons };
