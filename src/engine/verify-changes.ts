/**
 * Verify every server a run created or updated by speaking MCP to it. A server that fails is
 * rolled back to its previous spec: the previously applied spec is applied again, or the server
 * is removed if it was new. The change's outcome becomes `rolled-back` with the reason. With a
 * `recheck` scope, servers the run did not change are verified again too (recheck-servers.ts).
 * Every healthy verification is also judged against the server's tool lock (judge-tools.ts):
 * under `health.tools: pin` a differing surface fails it, and where nothing older exists the
 * server is quarantined (quarantine.ts) — including a rechecked server whose surface changed.
 */
import type { Change } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import type { DesiredServer } from '../core/state.js';
import { redactor } from '../log/redact.js';
import type { Effects } from './effects.js';
import { failedOnTools, judgeTools } from './judge-tools.js';
import { quarantine } from './quarantine.js';
import { type RecheckScope, recheckServers } from './recheck-servers.js';
import type { TargetSession } from './target-session.js';
import type { EngineDeps, ServerCheck } from './types.js';

export interface VerifyTargetInput {
  session: TargetSession;
  changes: readonly Change[];
  /** Results from apply, same order as `changes`; updated in place when a server is rolled back. */
  results: ChangeResult[];
  effects: Effects;
  deps: EngineDeps;
  /** Also verify servers the run did not change (the steady loop: all of them). */
  recheck?: RecheckScope;
}

export async function verifyTarget(input: VerifyTargetInput): Promise<Map<string, ServerCheck>> {
  const verified = new Map<string, ServerCheck>();
  const { session, deps } = input;
  if (!session.provider || !session.ctx) return verified;
  for (const [i, change] of input.changes.entries()) {
    const result = input.results[i];
    if (result?.outcome !== 'applied' || !change.desired || change.action === 'delete') continue;
    const where = `${session.environment.name}/${session.target.name}/${change.server}`;
    const outcome = await input.effects.run(
      `verify ${where}`,
      () => verifyServerOf(session, change.desired as DesiredServer, deps),
      undefined,
    );
    if (!outcome) continue;
    verified.set(change.server, outcome);
    if (outcome.ok) continue;
    const reason = `verification failed: ${outcome.error ?? outcome.health}`;
    const previous = change.observed?.spec;
    if (failedOnTools(outcome) && (change.reason === 'drift' || change.action === 'create' || !previous)) {
      const was = change.reason === 'drift' ? 'repaired drift' : 'created';
      input.results[i] = {
        ...result,
        ...(await quarantine({ session, change, reason, was, deps })),
      };
      if (input.results[i]?.quarantined) verified.delete(change.server);
      continue;
    }
    if (change.reason === 'drift') {
      // The spec did not change: there is no earlier spec to go back to.
      input.results[i] = { ...result, outcome: 'failed', message: `${reason} after repairing drift` };
      continue;
    }
    deps.logger.warn({ server: where, reason }, 'rolling back');
    const rollback = rollbackChange(change);
    deps.progress?.({
      where,
      text: rollback.action === 'delete' ? 'removing it (it was new)' : 'rolling back to the previous spec',
      ongoing: 'rolling back',
    });
    const back = await safeApply(session, rollback);
    const undone = rollback.action === 'delete' ? 'removed' : 'rolled back';
    deps.progress?.({ where, text: back.outcome === 'applied' ? undone : 'rollback failed' });
    if (back.outcome !== 'applied') {
      input.results[i] = {
        ...result,
        outcome: 'failed',
        message: `${reason}; rollback failed: ${back.message ?? 'unknown error'}`,
      };
      continue;
    }
    input.results[i] = {
      ...result,
      outcome: 'rolled-back',
      message: `${reason}; ${rollback.action === 'delete' ? 'removed (it was new)' : 'rolled back to the previous spec'}`,
    };
    if (rollback.desired) {
      const again = await verifyServerOf(session, rollback.desired, deps);
      if (again) verified.set(change.server, again);
    } else {
      verified.delete(change.server);
    }
  }
  if (input.recheck) {
    await recheckServers({
      session,
      changes: input.changes,
      results: input.results,
      scope: input.recheck,
      effects: input.effects,
      deps,
      verify: (server) => verifyServerOf(session, server, deps),
      into: verified,
    });
    await quarantineRechecked(input, verified);
  }
  return verified;
}

/** Servers the run left alone whose surface no longer passes `pin`: it changed while they ran. */
async function quarantineRechecked(input: VerifyTargetInput, verified: Map<string, ServerCheck>) {
  for (const [i, change] of input.changes.entries()) {
    const result = input.results[i];
    const check = verified.get(change.server);
    if (result?.outcome !== 'unchanged' || !failedOnTools(check)) continue;
    const reason = `verification failed: ${check?.error ?? 'tool surface differs from the lock'}`;
    const removed = await quarantine({
      session: input.session,
      change,
      reason,
      was: 'running',
      deps: input.deps,
    });
    input.results[i] = { ...result, ...removed };
    if (removed.quarantined) verified.delete(change.server);
  }
}

/**
 * Speak MCP to one server where its provider says it is. Progress names the server: the start,
 * each failed attempt (already redacted by verifyServer), and the outcome.
 */
async function verifyServerOf(
  session: TargetSession,
  server: DesiredServer,
  deps: EngineDeps,
): Promise<ServerCheck | undefined> {
  if (!session.provider || !session.ctx) return undefined;
  const at = `${session.environment.name}/${session.target.name}/${server.name}`;
  try {
    const endpoint = await session.provider.endpoint(session.ctx, server);
    if (!endpoint) return undefined;
    const where =
      endpoint.kind === 'http'
        ? (endpoint.display ?? endpoint.url)
        : (endpoint.display ?? [endpoint.command, ...endpoint.args].join(' '));
    deps.progress?.({ where: at, text: 'verifying', ongoing: 'verifying' });
    const verifiedResult = await deps.verify(endpoint, server.spec.health ?? {}, {
      onAttempt: (attempt, state, message) =>
        deps.progress?.({
          where: at,
          text: `verify attempt ${attempt}: ${state}: ${message}`,
          ongoing: 'verifying',
        }),
    });
    const result = judgeTools(session.environment.name, server, verifiedResult, deps);
    deps.progress?.({ where: at, text: verifiedText(result) });
    return { ...result, endpoint: redactor.redact(where) };
  } catch (err) {
    const error = redactor.redact(err instanceof Error ? err.message : String(err));
    deps.progress?.({ where: at, text: `not verified: ${error}` });
    return { ok: false, health: 'unhealthy', error, attempts: 0, durationMs: 0 };
  }
}

function verifiedText(result: ServerCheck): string {
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.ok) return `healthy, ${result.toolCount ?? 0} tools (${seconds})`;
  return `${result.health} after ${seconds}: ${result.error ?? 'no reason given'}`;
}

/** The change that undoes `change`: back to the observed previous spec, or delete if it was new. */
export function rollbackChange(change: Change): Change {
  const current = change.desired
    ? { name: change.server, spec: change.desired.spec, specHash: change.desired.specHash }
    : undefined;
  const previous = change.observed?.spec;
  if (change.action === 'create' || !previous) {
    return {
      ...change,
      action: 'delete',
      reason: 'spec',
      diffs: [],
      desired: undefined,
      observed: current ?? change.observed,
    };
  }
  return {
    ...change,
    action: 'update',
    reason: 'spec',
    diffs: [],
    desired: { name: change.server, spec: previous, specHash: change.observed?.specHash ?? '' },
    observed: current,
  };
}

async function safeApply(session: TargetSession, change: Change): Promise<ChangeResult> {
  if (!session.provider || !session.ctx)
    return { server: change.server, action: change.action, outcome: 'failed', message: 'no provider' };
  try {
    return await session.provider.apply(session.ctx, change);
  } catch (err) {
    return {
      server: change.server,
      action: change.action,
      outcome: 'failed',
      message: redactor.redact((err as Error).message),
    };
  }
}
