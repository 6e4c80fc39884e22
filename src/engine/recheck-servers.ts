/**
 * Re-verify servers a run did not change (the steady loop's "is it still true?"): every server
 * that is on the target and was not just applied — in sync, or drifted and left alone by
 * `sync.drift: warn|detect` — is spoken to over MCP again, a few at a time per target. Nothing is
 * rolled back (nothing changed); the outcome is the server's health in the report — except that an
 * in-sync server whose tool surface no longer passes `health.tools: pin` is quarantined afterwards
 * by verify-changes.ts (see quarantine.ts for why the recheck acts rather than only reports).
 */
import type { Change } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import type { DesiredServer } from '../core/state.js';
import type { Effects } from './effects.js';
import type { TargetSession } from './target-session.js';
import type { EngineDeps, ServerCheck } from './types.js';

/** Which unchanged servers to verify again: every one, or those the predicate names. */
export type RecheckScope = 'all' | ((environment: string, target: string, server: string) => boolean);

/** Verifications of one target at a time: enough to hide start-up latency, few enough not to swamp a laptop. */
export const RECHECK_CONCURRENCY = 4;

export async function recheckServers(input: {
  session: TargetSession;
  changes: readonly Change[];
  results: readonly ChangeResult[];
  scope: RecheckScope;
  effects: Effects;
  deps: EngineDeps;
  verify: (server: DesiredServer) => Promise<ServerCheck | undefined>;
  into: Map<string, ServerCheck>;
}): Promise<void> {
  const { session } = input;
  const env = session.environment.name;
  const target = session.target.name;
  const due = input.changes.filter((change, i) => {
    const outcome = input.results[i]?.outcome;
    if (outcome === 'applied' || outcome === 'failed' || outcome === 'rolled-back') return false;
    if (!change.desired || !change.observed || change.action === 'create' || change.action === 'delete')
      return false;
    if (input.into.has(change.server)) return false;
    return input.scope === 'all' || input.scope(env, target, change.server);
  });
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < due.length; i = next++) {
      const change = due[i]!;
      const outcome = await input.effects.run(
        `verify ${env}/${target}/${change.server}`,
        () => input.verify(change.desired as DesiredServer),
        undefined,
      );
      if (outcome) input.into.set(change.server, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, due.length) }, worker));
}
