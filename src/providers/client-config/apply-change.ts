/**
 * Apply one change to a client-config target: fetch the server's pinned package into the host's
 * cache (prefetch.ts), write the server's entry into every client file of the target (and take it
 * out of files of clients the target no longer lists), or remove it on delete; then record it in
 * the inventory. A package that cannot be fetched fails the change before any file is written.
 * Every file is parsed before any is written, so a file that is not valid JSON/TOML fails the
 * change and nothing is touched. Never throws.
 */
import { hasSecrets, isHttp } from '../../clients/build-entry.js';
import { getClient, isClientId } from '../../clients/registry.js';
import type { Change } from '../../core/plan.js';
import type { ChangeResult } from '../../core/report.js';
import type { DesiredServer } from '../../core/state.js';
import { redactor } from '../../log/redact.js';
import { canonicalEqual } from '../../plan/canonical.js';
import type { ProviderContext } from '../types.js';
import { ClientFiles } from './client-files.js';
import { resolveClientPath } from './client-path.js';
import { type Inventory, readInventory, writeInventory } from './inventory.js';
import { prefetchPackage } from './prefetch.js';
import { renderEntries } from './render-entries.js';
import { noUrlReason, serverUrl } from './server-url.js';
import { secretsMode, targetClients, unsupportedReasons } from './target-clients.js';

export async function applyClientChange(ctx: ProviderContext, change: Change): Promise<ChangeResult> {
  const result = { server: change.server, action: change.action, diffs: change.diffs };
  if (change.action === 'noop') return { ...result, outcome: 'unchanged' };
  if (change.skipApply)
    return { ...result, outcome: 'skipped', message: 'drift is reported, not corrected (drift mode)' };
  try {
    const inventory = await readInventory(ctx.host, ctx.environment.name, ctx.target.name);
    const message =
      change.action === 'delete'
        ? await removeServer(ctx, inventory, change.server)
        : await writeServer(ctx, inventory, change);
    return { ...result, outcome: 'applied', message };
  } catch (err) {
    return {
      ...result,
      outcome: 'failed',
      message: redactor.redact(err instanceof Error ? err.message : String(err)),
    };
  }
}

async function writeServer(ctx: ProviderContext, inventory: Inventory, change: Change): Promise<string> {
  const desired = change.desired;
  if (!desired) throw new Error(`${change.action} of "${change.server}" carries no desired server`);
  const { target, environment } = ctx;
  const reasons = unsupportedReasons(desired.spec, target.settings);
  if (reasons.length > 0) throw new Error(`cannot register "${desired.name}": ${reasons.join('; ')}`);
  if (isHttp(desired.spec) && !serverUrl(desired, target, environment))
    throw new Error(noUrlReason(desired, environment));
  // The pinned package is in the host's cache before any client is told to launch it.
  await prefetchPackage(ctx, desired);

  const mode = secretsMode(target.settings);
  const values = mode === 'materialize' ? await resolveValues(ctx, desired) : undefined;
  const entries = renderEntries(desired, target, environment, values);
  const files = new ClientFiles(ctx.host, ctx.logger);
  const pathCtx = {
    home: await ctx.host.home(),
    platform: ctx.host.kind === 'local' ? process.platform : undefined,
  };
  const previous = inventory.servers[desired.name]?.clients ?? {};
  const written: Record<string, string> = {};
  for (const client of targetClients(target.settings)) {
    const path = await resolveClientPath(client, target.settings, pathCtx, ctx.host);
    const doc = await files.open(client, path);
    const entry = entries[client.id]!;
    const existing = client.readEntries(doc)[desired.name];
    // An entry we do not own is the user's: never overwritten (an identical one is adopted).
    if (previous[client.id] !== path && existing !== undefined && !canonicalEqual(existing, entry)) {
      throw new Error(
        `${client.id}: ${path} already has a server "${desired.name}" that mcp-gitops does not manage; rename one of them, or remove that entry to let mcp-gitops manage it`,
      );
    }
    client.writeEntry(doc, desired.name, entry);
    written[client.id] = path;
  }
  // Clients the target no longer lists, or whose file moved (a new projectDir): take the entry out.
  for (const [id, path] of Object.entries(previous)) {
    if (written[id] === path || !isClientId(id)) continue;
    const client = getClient(id);
    client.removeEntry(await files.open(client, path), desired.name);
  }
  await files.save(mode === 'materialize' && hasSecrets(desired.spec) ? 0o600 : undefined);
  inventory.servers[desired.name] = { spec: desired.spec, specHash: desired.specHash, clients: written };
  await writeInventory(ctx.host, inventory, ctx.logger);
  return `registered in ${Object.keys(written).sort().join(', ')}`;
}

async function removeServer(ctx: ProviderContext, inventory: Inventory, name: string): Promise<string> {
  const owned = inventory.servers[name];
  if (!owned) return 'not in the inventory: nothing to remove';
  const files = new ClientFiles(ctx.host, ctx.logger);
  for (const [id, path] of Object.entries(owned.clients)) {
    if (!isClientId(id)) continue;
    const client = getClient(id);
    client.removeEntry(await files.open(client, path), name);
  }
  await files.save();
  delete inventory.servers[name];
  await writeInventory(ctx.host, inventory, ctx.logger);
  return `removed from ${Object.keys(owned.clients).sort().join(', ')}`;
}

async function resolveValues(ctx: ProviderContext, server: DesiredServer): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const binding of server.spec.secrets ?? []) {
    const value = await ctx.secrets.resolve(binding.ref);
    ctx.redact(value);
    values[binding.name] = value;
  }
  return values;
}
