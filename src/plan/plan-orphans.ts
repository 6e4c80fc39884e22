/**
 * Servers found on a target that the repo no longer lists: deleted when the environment prunes,
 * otherwise kept and reported. Deletions run dependents first: the reverse of the `dependsOn`
 * order recorded in their last applied specs (names sorted first, so the order is deterministic).
 */
import type { Change } from '../core/plan.js';
import type { ObservedServer } from '../core/state.js';

export function planOrphans(
  environment: string,
  target: string,
  orphans: readonly ObservedServer[],
  prune: boolean,
): Change[] {
  return dependencyOrder(orphans)
    .reverse()
    .map(
      (observed): Change => ({
        environment,
        target,
        server: observed.name,
        action: prune ? 'delete' : 'noop',
        reason: prune ? 'prune' : 'orphan-kept',
        diffs: [],
        observed,
      }),
    );
}

/** Dependencies before dependents; dependencies outside the set are ignored; cycles broken by name. */
function dependencyOrder(servers: readonly ObservedServer[]): ObservedServer[] {
  const byName = new Map([...servers].sort((a, b) => compare(a.name, b.name)).map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: ObservedServer[] = [];
  const visit = (server: ObservedServer): void => {
    if (done.has(server.name) || visiting.has(server.name)) return;
    visiting.add(server.name);
    for (const dep of [...(server.spec?.dependsOn ?? [])].sort(compare)) {
      const next = byName.get(dep);
      if (next) visit(next);
    }
    visiting.delete(server.name);
    done.add(server.name);
    out.push(server);
  };
  for (const server of byName.values()) visit(server);
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
