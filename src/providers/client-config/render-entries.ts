/**
 * Pure: a desired server as each of the target's clients would hold it, keyed by client id, e.g.
 * `{ 'claude-code': {...}, cursor: {...} }`. `observe` reports the entries found on disk in the
 * same shape, so a plan's diff names the drifted field as `cursor.args[2]`.
 *
 * A plan renders every server twice: observing masks secrets against the expected entries, then
 * planning diffs against them. The next rendering of a server whose inputs are the same is the
 * last one's result (1,000 servers x 3 clients cost ~20 ms per rendering), handed out once: no
 * result is shared by more than the two readers it was rendered for.
 */
import type { ClientAdapter, ClientEntry, ClientId } from '../../clients/types.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../core/state.js';
import { sameTree } from '../../plan/canonical.js';
import { expandServerHome, targetHome } from './expand-home.js';
import { serverUrl } from './server-url.js';
import { secretsMode, targetClients } from './target-clients.js';

type Entries = Partial<Record<ClientId, ClientEntry>>;

interface Rendered {
  server: DesiredServer;
  settings: DesiredTarget['settings'];
  environment: DesiredEnvironment;
  home: string | undefined;
  clients: ClientAdapter[];
  entries: Entries;
}

/** The last rendering without secret values of each server name, per target object, not yet reused. */
const renderings = new WeakMap<DesiredTarget, Map<string, Rendered>>();

export function renderEntries(
  server: DesiredServer,
  target: DesiredTarget,
  environment: DesiredEnvironment,
  values?: Record<string, string>,
): Entries {
  const clients = targetClients(target.settings);
  const home = targetHome(target);
  if (values === undefined) {
    const byName = renderings.get(target);
    const last = byName?.get(server.name);
    if (last) {
      byName?.delete(server.name);
      if (last.settings === target.settings && sameRendering(last, server, environment, home, clients))
        return last.entries;
    }
  }
  return render(server, target, environment, values, clients, home);
}

/**
 * renderEntries (without secret values), kept for the next rendering of the same server on the
 * same target: observe's expected entries are what plan renders next.
 */
export function renderAndRemember(
  server: DesiredServer,
  target: DesiredTarget,
  environment: DesiredEnvironment,
): Entries {
  const clients = targetClients(target.settings);
  const home = targetHome(target);
  const entries = render(server, target, environment, undefined, clients, home);
  let byName = renderings.get(target);
  if (!byName) {
    byName = new Map();
    renderings.set(target, byName);
  }
  byName.set(server.name, { server, settings: target.settings, environment, home, clients, entries });
  return entries;
}

function render(
  server: DesiredServer,
  target: DesiredTarget,
  environment: DesiredEnvironment,
  values: Record<string, string> | undefined,
  clients: readonly ClientAdapter[],
  home: string | undefined,
): Entries {
  const ctx = {
    secretsMode: secretsMode(target.settings),
    endpointUrl: serverUrl(server, target, environment),
    values,
  };
  const expanded = expandServerHome(server, home);
  const entries: Entries = {};
  for (const client of clients) entries[client.id] = client.entryFor(expanded, ctx);
  return entries;
}

/** Whether rendering `server` now gives what `last` holds: every input it was rendered from is the same. */
function sameRendering(
  last: Rendered,
  server: DesiredServer,
  environment: DesiredEnvironment,
  home: string | undefined,
  clients: readonly ClientAdapter[],
): boolean {
  return (
    last.environment === environment &&
    last.home === home &&
    last.clients.length === clients.length &&
    last.clients.every((c, i) => c === clients[i]) &&
    (last.server === server || sameTree(last.server.spec, server.spec))
  );
}
