/**
 * Quarantine: a server whose tool surface failed `health.tools: pin` and that has no earlier spec
 * to roll back to — a new server, one repaired from drift, or one whose surface changed while it
 * ran (the steady loop's recheck: the rug pull) — is removed from the target through its
 * provider's delete: gone from that environment's client configs, its process or container
 * stopped. The change's outcome says so (`rolled-back`, `quarantined: true`, the reason with the
 * changed tools' names). The next run creates it again and verifies it against the lock again, so
 * committing a reviewed lock (`mcp-gitops tools lock`) or fixing the server ends the quarantine;
 * meanwhile the steady loop's retry backoff keeps it from flapping.
 *
 * The recheck quarantines rather than only reporting (Argo and Flux report and let the next sync
 * act): here no next sync would act, because the spec is in sync — only the surface moved — and
 * `pin` says an unapproved surface must not be served. Report-only is what `warn` is for.
 */
import type { Change } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import { redactor } from '../log/redact.js';
import type { TargetSession } from './target-session.js';
import type { EngineDeps } from './types.js';

/** The delete that takes `change`'s server off the target, whatever the change was. */
export function quarantineChange(change: Change): Change {
  const current = change.desired
    ? { name: change.server, spec: change.desired.spec, specHash: change.desired.specHash }
    : undefined;
  return {
    ...change,
    action: 'delete',
    reason: 'spec',
    diffs: [],
    desired: undefined,
    observed: change.action === 'create' ? (current ?? change.observed) : (change.observed ?? current),
  };
}

export async function quarantine(input: {
  session: TargetSession;
  change: Change;
  /** Why its verification failed (names the changed tools; already redacted). */
  reason: string;
  /** What the run had done to it before verifying (`created`, `repaired drift`, `running`). */
  was: string;
  deps: EngineDeps;
}): Promise<ChangeResult> {
  const { session, change, deps } = input;
  const where = `${session.environment.name}/${session.target.name}/${change.server}`;
  deps.logger.warn({ server: where, reason: input.reason }, 'quarantining');
  deps.progress?.({ where, text: 'quarantining: removing it from the target', ongoing: 'quarantining' });
  const removal = quarantineChange(change);
  let removed: ChangeResult;
  try {
    removed =
      session.provider && session.ctx
        ? await session.provider.apply(session.ctx, removal)
        : { server: change.server, action: 'delete', outcome: 'failed', message: 'no provider' };
  } catch (err) {
    removed = {
      server: change.server,
      action: 'delete',
      outcome: 'failed',
      message: redactor.redact((err as Error).message),
    };
  }
  deps.progress?.({ where, text: removed.outcome === 'applied' ? 'quarantined' : 'quarantine failed' });
  if (removed.outcome !== 'applied') {
    return {
      server: change.server,
      action: change.action,
      outcome: 'failed',
      message: `${input.reason}; quarantine failed (${input.was}, still on the target): ${removed.message ?? 'unknown error'}`,
    };
  }
  return {
    server: change.server,
    // A server quarantined while it ran was in sync: what the run did to it is the delete.
    action: change.action === 'noop' ? 'delete' : change.action,
    outcome: 'rolled-back',
    quarantined: true,
    message: `${input.reason}; quarantined: removed from the target (${input.was}, nothing older to roll back to)`,
  };
}
