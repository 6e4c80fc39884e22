/**
 * Which servers a recording run verifies beyond those it changes. `stale` is the default of
 * `reconcile`: every server whose committed report entry is missing, at another spec, or not
 * healthy — an `apply` (which records nothing) followed by `reconcile` therefore verifies what it
 * applied — while a server the report knows healthy at its spec is not spoken to again. `all` is
 * the steady loop's (`serve`, `watch`, `reconcile --verify-all`).
 */
import type { DesiredState } from '../core/state.js';
import type { CommittedReports } from './committed-reports.js';
import type { RecheckScope } from './recheck-servers.js';

export type RecheckMode = 'stale' | 'all' | 'none';

/** `stale`: servers whose committed report entry is missing, at another spec, or not healthy. */
export async function recheckScope(
  mode: RecheckMode,
  desired: DesiredState,
  committed: CommittedReports,
): Promise<RecheckScope | undefined> {
  if (mode === 'none') return undefined;
  if (mode === 'all') return 'all';
  const reports = await committed();
  const known = new Map<string, { health: string; specHash: string }>();
  for (const r of reports.values())
    for (const e of r.inventory) known.set(`${r.environment}/${r.target}/${e.server}`, e);
  const hashes = new Map<string, string>();
  for (const env of desired.environments)
    for (const t of env.targets)
      for (const s of t.servers) hashes.set(`${env.name}/${t.name}/${s.name}`, s.specHash);
  return (environment, target, server) => {
    const key = `${environment}/${target}/${server}`;
    const entry = known.get(key);
    return entry?.health !== 'healthy' || entry.specHash !== hashes.get(key);
  };
}
