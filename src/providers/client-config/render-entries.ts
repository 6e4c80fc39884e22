/**
 * Pure: a desired server as each of the target's clients would hold it, keyed by client id, e.g.
 * `{ 'claude-code': {...}, cursor: {...} }`. `observe` reports the entries found on disk in the
 * same shape, so a plan's diff names the drifted field as `cursor.args[2]`.
 */
import type { ClientEntry, ClientId } from '../../clients/types.js';
import type { DesiredEnvironment, DesiredServer, DesiredTarget } from '../../core/state.js';
import { expandServerHome, targetHome } from './expand-home.js';
import { serverUrl } from './server-url.js';
import { secretsMode, targetClients } from './target-clients.js';

export function renderEntries(
  server: DesiredServer,
  target: DesiredTarget,
  environment: DesiredEnvironment,
  values?: Record<string, string>,
): Partial<Record<ClientId, ClientEntry>> {
  const ctx = {
    secretsMode: secretsMode(target.settings),
    endpointUrl: serverUrl(server, target, environment),
    values,
  };
  const expanded = expandServerHome(server, targetHome(target));
  const out: Partial<Record<ClientId, ClientEntry>> = {};
  for (const client of targetClients(target.settings)) out[client.id] = client.entryFor(expanded, ctx);
  return out;
}
