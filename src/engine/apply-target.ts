/**
 * Apply the changes of one target, in plan order (dependencies first); one failure never stops the
 * others, but a server whose dependency failed is skipped with that reason. A provider that offers
 * a batch (`Provider.openBatch`) gets every change of the run in one batch, committed once at the
 * end: a change it accepted has its progress line at once, as without a batch, and a second one
 * if the commit fails it after all; its log line and result wait for the commit. A batch that
 * makes several creates at once (`ApplyBatch.inFlight`, once it is open) gets the next create
 * without waiting for the one before, unless it depends on it; updates and deletes still run alone.
 */
import type { Change, TargetPlan } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import { redactor } from '../log/redact.js';
import type { ApplyBatch, ProviderContext } from '../providers/types.js';
import type { ApplyInput } from './apply-plan.js';
import type { TargetSession } from './target-session.js';

export async function applyTarget(
  target: TargetPlan,
  session: TargetSession | undefined,
  gate: string | undefined,
  input: ApplyInput,
): Promise<ChangeResult[]> {
  const failed = new Set<string>();
  const out: ChangeResult[] = [];
  const provider = session?.provider;
  let batch: Promise<ApplyBatch> | undefined;
  const apply =
    provider?.openBatch === undefined
      ? provider?.apply.bind(provider)
      : async (ctx: ProviderContext, change: Change) => {
          batch ??= provider.openBatch!(ctx);
          return (await batch).apply(change);
        };
  /** Changes the batch accepted, settled once it is committed. */
  const pending: { index: number; change: Change; where: string }[] = [];
  const done = (change: Change, result: ChangeResult, where: string) =>
    input.deps.progress?.({ where, text: doneText(change, result) });
  const log = (change: Change, result: ChangeResult) =>
    input.deps.logger.debug(
      {
        target: `${target.environment}/${target.target}`,
        server: change.server,
        action: change.action,
        reason: change.reason,
        diffs: change.diffs,
        outcome: result.outcome,
        message: result.message,
      },
      'change applied',
    );

  /** Creates handed to a batch that makes several at once, until each is done (by server). */
  const inFlight = new Map<string, Promise<void>>();
  const handedOver: Promise<void>[] = [];
  let limit = 1;

  for (const change of target.changes) {
    const base = { server: change.server, action: change.action, diffs: change.diffs };
    if (inFlight.size > 0 && needsApply(change)) {
      // A create waits for the changes it depends on; an update or delete for all before it.
      const before =
        change.action === 'create'
          ? (change.desired?.spec.dependsOn ?? []).flatMap((d) => inFlight.get(d) ?? [])
          : [...inFlight.values()];
      await Promise.all(before);
    }
    if (change.action === 'noop') {
      out.push({
        ...base,
        outcome: 'unchanged',
        ...(change.reason === 'orphan-kept'
          ? { message: 'not in the repo; kept because sync.prune is false' }
          : {}),
      });
      continue;
    }
    if (change.skipApply) {
      out.push({
        ...base,
        outcome: 'skipped',
        message: `drift not corrected (sync.drift: ${target.driftMode ?? 'detect'})`,
      });
      continue;
    }
    if (target.stalled || !apply || !session?.ctx) {
      out.push({
        ...base,
        outcome: 'skipped',
        message: `target stalled: ${target.stalled?.reason ?? session?.error ?? 'not observed'}`,
      });
      continue;
    }
    if (gate) {
      out.push({ ...base, outcome: 'skipped', message: `not applied: ${gate}` });
      continue;
    }
    const brokenDep = (change.desired?.spec.dependsOn ?? []).find((d) => failed.has(d));
    if (brokenDep) {
      failed.add(change.server);
      out.push({ ...base, outcome: 'skipped', message: `dependency "${brokenDep}" failed` });
      continue;
    }
    const ctx = session.ctx;
    const where = `${target.environment}/${target.target}/${change.server}`;
    while (inFlight.size >= limit) await Promise.race(inFlight.values());
    const index = out.length;
    out.push({ ...base, outcome: 'skipped' });
    const applied = (async () => {
      let deferred = false;
      const result = await input.effects.run(
        `${change.action} ${change.server} on ${target.environment}/${target.target}`,
        async () => {
          const verb = ACTING[change.action];
          input.deps.progress?.({ where, text: verb, ongoing: verb });
          const result = await applyOne(apply, ctx, change);
          deferred = batch !== undefined && result.outcome === 'applied';
          done(change, result, where);
          return result;
        },
        { ...base, outcome: 'skipped', message: 'dry run' } as ChangeResult,
      );
      if (result.outcome === 'failed') failed.add(change.server);
      if (deferred) pending.push({ index, change, where });
      else log(change, result);
      out[index] = { ...result, diffs: change.diffs };
    })();
    if (limit > 1 && change.action === 'create') {
      // Waited for at the end, where a throw (a bug) surfaces as it would have here.
      applied.catch(() => {});
      handedOver.push(applied);
      inFlight.set(
        change.server,
        applied
          .then(
            () => undefined,
            () => undefined,
          )
          .finally(() => inFlight.delete(change.server)),
      );
    } else {
      await applied;
      if (batch) limit = await batchInFlight(batch);
    }
  }
  await Promise.all(handedOver);

  if (batch) {
    const failure = await commit(batch);
    for (const { index, change, where } of pending) {
      const message = failure(change.server);
      if (message !== undefined) {
        out[index] = { ...out[index]!, outcome: 'failed', message };
        done(change, out[index]!, where);
      }
      log(change, out[index]!);
    }
  }
  return out;
}

/**
 * Commit the batch: why each accepted change failed after all, by server (undefined: it holds).
 * A throw (which providers should not do) fails every change the batch held.
 */
async function commit(batch: Promise<ApplyBatch>): Promise<(server: string) => string | undefined> {
  let opened: ApplyBatch;
  try {
    opened = await batch;
  } catch {
    return () => undefined; // it never opened: every change already failed with the reason
  }
  try {
    const failures = await opened.commit();
    return (server) => failures.get(server);
  } catch (err) {
    const message = redactor.redact(err instanceof Error ? err.message : String(err));
    return () => message;
  }
}

/** How many creates the opened batch makes at once (1: one after another, as without a batch). */
async function batchInFlight(batch: Promise<ApplyBatch>): Promise<number> {
  try {
    const n = (await batch).inFlight ?? 1;
    return Number.isInteger(n) && n > 1 ? n : 1;
  } catch {
    return 1;
  }
}

function needsApply(change: Change): boolean {
  return change.action !== 'noop' && !change.skipApply;
}

/** Providers should not throw for a failed change; if one does anyway, the throw becomes data. */
async function applyOne(
  apply: (ctx: ProviderContext, change: Change) => Promise<ChangeResult>,
  ctx: ProviderContext,
  change: Change,
): Promise<ChangeResult> {
  try {
    return await apply(ctx, change);
  } catch (err) {
    const message = redactor.redact(err instanceof Error ? err.message : String(err));
    return { server: change.server, action: change.action, outcome: 'failed', message };
  }
}

const ACTING = { create: 'creating', update: 'updating', delete: 'deleting', noop: 'checking' } as const;
const ACTED = { create: 'created', update: 'updated', delete: 'deleted', noop: 'checked' } as const;

/** The progress line that ends a change: what happened, and why when it failed. */
function doneText(change: Change, result: ChangeResult): string {
  if (result.outcome === 'applied') return ACTED[change.action];
  return `${change.action} ${result.outcome}${result.message ? `: ${result.message}` : ''}`;
}
