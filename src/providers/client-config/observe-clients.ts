/**
 * Observe a client-config target: for each server in the inventory, the entry found in each
 * client's file (`null` when it is gone, `{ unreadable }` when the file cannot be parsed), keyed
 * by client id like `render`. Entries not in the inventory are the user's: only plaintext secrets
 * in them are reported (`findings`, find-plaintext.ts), by file, entry and key path, never the value.
 */
import { findPlaintext } from '../../clients/find-plaintext.js';
import { getClient, isClientId } from '../../clients/registry.js';
import type { ClientAdapter, ClientEntry, PathContext } from '../../clients/types.js';
import type { SecretBinding } from '../../core/resources.js';
import type { ObservedServer, ObservedTarget, PlaintextSecretFinding } from '../../core/state.js';
import { redactor } from '../../log/redact.js';
import type { ProviderContext } from '../types.js';
import { ClientFiles } from './client-files.js';
import { resolveClientPath } from './client-path.js';
import { type InventoryServer, readInventory } from './inventory.js';
import { maskSecrets, masks } from './mask-secrets.js';
import { renderAndRemember } from './render-entries.js';
import { resolveAutoClients, secretsMode, targetClients } from './target-clients.js';

export async function observeClients(ctx: ProviderContext): Promise<ObservedTarget> {
  const { environment, target } = ctx;
  const base = { environment: environment.name, target: target.name };
  let inventory: Awaited<ReturnType<typeof readInventory>>;
  try {
    inventory = await readInventory(ctx.host, environment.name, target.name);
  } catch (err) {
    return { ...base, reachable: false, reason: redactor.redact((err as Error).message), servers: [] };
  }
  // `clients: [auto]`: the clients installed on the host now (render and apply use this list).
  const auto = await resolveAutoClients(target.settings, ctx.host);
  const files = new ClientFiles(ctx.host);
  // Each file's entries are read once, however many servers it holds (and the scan for the
  // user's entries reuses them when it reads the file as the same client: parsing a file of
  // 1,000 entries again cost more than the rest of observing it).
  const entriesByFile = new Map<string, { client: string; entries: Record<string, ClientEntry> }>();
  const entriesIn = async (client: ClientAdapter, file: string) => {
    let read = entriesByFile.get(file);
    if (!read) {
      read = { client: client.id, entries: client.readEntries(await files.open(client, file)) };
      entriesByFile.set(file, read);
    }
    return read.entries;
  };
  const readAs = async (client: ClientAdapter, file: string) => {
    const read = entriesByFile.get(file);
    return read?.client === client.id ? read.entries : client.readEntries(await files.open(client, file));
  };
  const pathCtx = {
    home: await ctx.host.home(),
    platform: ctx.host.kind === 'local' ? process.platform : undefined,
  };
  const servers: ObservedServer[] = [];
  const listed = targetClients(target.settings).map((c) => c.id);
  const resolve = async (b: SecretBinding) => ctx.secrets.resolve(b.ref).catch(() => undefined);
  const desired = new Map(target.servers.map((s) => [s.name, s]));
  for (const [name, owned] of Object.entries(inventory.servers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    // The entries it should have: the desired server's own where the inventory records its spec
    // hash (the same spec: plan then reuses this rendering without comparing the specs), else the
    // spec the inventory recorded.
    const wanted = desired.get(name);
    const expected = renderAndRemember(
      wanted !== undefined && wanted.specHash === owned.specHash
        ? wanted
        : { name, spec: owned.spec, specHash: owned.specHash },
      target,
      environment,
    );
    const actual: Record<string, unknown> = {};
    for (const id of clientsToCheck(owned, listed)) {
      const client = getClient(id);
      let entry: ClientEntry | null;
      try {
        const file =
          owned.clients[id] ?? (await resolveClientPath(client, target.settings, pathCtx, ctx.host));
        // A file already read is looked up without a wait: 1,000 servers x 3 clients of awaits
        // were ~10 ms of observing.
        entry = (entriesByFile.get(file)?.entries ?? (await entriesIn(client, file)))[name] ?? null;
      } catch (err) {
        actual[id] = { unreadable: redactor.redact((err as Error).message) };
        continue;
      }
      const bindings = owned.spec.secrets ?? [];
      actual[id] =
        entry && masks(entry, expected[client.id], bindings)
          ? await maskSecrets(entry, expected[client.id], bindings, resolve)
          : entry;
    }
    servers.push({ name, spec: owned.spec, specHash: owned.specHash, actual, health: 'unknown' });
  }
  const findings = await userEntryFindings(ctx, inventory, readAs, pathCtx);
  const facts = {
    clients: `${auto ? 'auto: ' : ''}${targetClients(target.settings)
      .map((c) => c.id)
      .join(',')}`,
    secrets: secretsMode(target.settings),
  };
  return { ...base, reachable: true, servers, facts, ...(findings.length > 0 ? { findings } : {}) };
}

/**
 * Plaintext secrets in the entries of the target's client files that the inventory does not list.
 * A file that cannot be read or parsed is skipped: its owned entries already report it.
 */
async function userEntryFindings(
  ctx: ProviderContext,
  inventory: Awaited<ReturnType<typeof readInventory>>,
  readAs: (client: ClientAdapter, file: string) => Promise<Record<string, ClientEntry>>,
  pathCtx: PathContext,
): Promise<PlaintextSecretFinding[]> {
  const byFile = new Map<string, ClientAdapter>();
  for (const client of targetClients(ctx.target.settings)) {
    const file = await resolveClientPath(client, ctx.target.settings, pathCtx, ctx.host).catch(
      () => undefined,
    );
    if (file && !byFile.has(file)) byFile.set(file, client);
  }
  for (const owned of Object.values(inventory.servers))
    for (const [id, file] of Object.entries(owned.clients))
      if (isClientId(id) && !byFile.has(file)) byFile.set(file, getClient(id));
  const findings: PlaintextSecretFinding[] = [];
  for (const [file, client] of byFile) {
    let entries: Record<string, ClientEntry>;
    try {
      entries = await readAs(client, file);
    } catch {
      continue;
    }
    const shown = displayPath(file, pathCtx.home);
    for (const [entry, value] of Object.entries(entries)) {
      if (inventory.servers[entry]?.clients[client.id] !== undefined) continue;
      for (const f of findPlaintext(value)) findings.push({ file: shown, client: client.id, entry, ...f });
    }
  }
  return findings.sort((a, b) => cmp(a.file, b.file) || cmp(a.entry, b.entry) || cmp(a.path, b.path));
}

/** `~/.cursor/mcp.json` for a file in the home folder (reports are committed: no user name). */
function displayPath(file: string, home: string): string {
  const h = home.replace(/[\\/]+$/, '');
  return h !== '' && (file.startsWith(`${h}/`) || file.startsWith(`${h}\\`))
    ? `~${file.slice(h.length)}`
    : file;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The clients the server was written to, plus the ones the target lists now (`listed`). */
function clientsToCheck(owned: InventoryServer, listed: readonly string[]): string[] {
  const ids = new Set([...Object.keys(owned.clients), ...listed]);
  return [...ids].filter(isClientId).sort();
}
