/**
 * `ToolsChanged` drift for `drift` and plans: a server that is on its target at the spec the repo
 * wants can still offer the model something else than was approved (a rug pull needs no version
 * bump). So the running servers are spoken to over MCP, their surfaces compared with their locks —
 * or, with no lock, with the fingerprints their last report recorded — and each difference is
 * attached to the server's change as `Change.tools`. Nothing is applied or rolled back here; a
 * server under `health.tools: ignore` is not looked at.
 */
import type { Change, Plan } from '../core/plan.js';
import type { ChangeResult } from '../core/report.js';
import type { DesiredServer } from '../core/state.js';
import { redactor } from '../log/redact.js';
import { summarizePlan } from '../plan/summarize-plan.js';
import { diffFingerprints, type SurfacePrints, surfacePrints } from '../surface/diff-fingerprints.js';
import { diffSurface, isEmptyDiff } from '../surface/diff-surface.js';
import type { ToolSurface, ToolsDrift } from '../surface/types.js';
import type { CommittedReports } from './committed-reports.js';
import { RECHECK_CONCURRENCY } from './recheck-servers.js';
import { sessionKey, type TargetSession } from './target-session.js';
import type { EngineDeps, TargetRun } from './types.js';

/** The surface a target's last report recorded for a server, if any. */
export type RecordedSurface = (
  environment: string,
  target: string,
  server: string,
) => SurfacePrints | undefined;

/** The approved surface a live one is compared with: the lock when one exists, else the last report. */
export function toolsDriftOf(
  current: ToolSurface,
  lock: { surface: ToolSurface; file: string } | undefined,
  recorded: SurfacePrints | undefined,
): ToolsDrift | undefined {
  if (lock) {
    if (lock.surface.fingerprint === current.fingerprint) return undefined;
    const diff = diffSurface(lock.surface, current);
    return isEmptyDiff(diff) ? undefined : { reason: 'ToolsChanged', against: lock.file, diff };
  }
  if (!recorded) return undefined;
  if (recorded.fingerprint !== undefined && recorded.fingerprint === current.fingerprint) return undefined;
  const diff = diffFingerprints(recorded, surfacePrints(current));
  return isEmptyDiff(diff) ? undefined : { reason: 'ToolsChanged', against: 'report', diff };
}

/** A change whose server runs at the spec the repo wants (or only drifted in config): its surface counts. */
function running(change: Change): boolean {
  if (!change.desired || !change.observed) return false;
  if (change.action === 'create' || change.action === 'delete') return false;
  // A server its supervisor found down has no surface to list; drift already says why.
  if (change.observed.down) return false;
  return change.reason === 'in-sync' || change.reason === 'drift';
}

async function surfaceOf(
  session: TargetSession,
  server: DesiredServer,
  deps: EngineDeps,
): Promise<ToolSurface | undefined> {
  if (!session.provider || !session.ctx) return undefined;
  const where = `${session.environment.name}/${session.target.name}/${server.name}`;
  try {
    const endpoint = await session.provider.endpoint(session.ctx, server);
    if (!endpoint) return undefined;
    deps.progress?.({ where, text: 'listing tools', ongoing: 'listing tools' });
    const result = await deps.verify(endpoint, server.spec.health ?? {});
    deps.progress?.({
      where,
      text: result.ok ? `${result.toolCount ?? 0} tools` : `not verified: ${result.error ?? result.health}`,
    });
    return result.ok ? result.surface : undefined;
  } catch (err) {
    const error = redactor.redact(err instanceof Error ? err.message : String(err));
    deps.progress?.({ where, text: `not verified: ${error}` });
    return undefined;
  }
}

/**
 * Verify every running server of the plan's reachable targets (a few at a time per target) and
 * attach `ToolsChanged` drift to its change; the plan's summary is recounted. A server that does
 * not answer is left as it is (its health is `reconcile`'s matter, not drift's).
 */
export async function attachSurfaceDrift(input: {
  plan: Plan;
  sessions: readonly TargetSession[];
  deps: EngineDeps;
  recorded?: RecordedSurface;
}): Promise<void> {
  const { plan, deps } = input;
  await Promise.all(
    plan.targets.map(async (tp) => {
      if (tp.stalled || tp.retired) return;
      const session = input.sessions.find(
        (s) => sessionKey(s.environment.name, s.target.name) === sessionKey(tp.environment, tp.target),
      );
      if (!session) return;
      const due = tp.changes.filter(
        (c) => running(c) && (c.desired as DesiredServer).spec.health?.tools !== 'ignore',
      );
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < due.length; i = next++) {
          const change = due[i] as Change;
          const server = change.desired as DesiredServer;
          const surface = await surfaceOf(session, server, deps);
          if (!surface) continue;
          const drift = toolsDriftOf(
            surface,
            deps.toolLock?.(tp.environment, server),
            input.recorded?.(tp.environment, tp.target, server.name),
          );
          if (drift) change.tools = drift;
        }
      };
      await Promise.all(Array.from({ length: Math.min(RECHECK_CONCURRENCY, due.length) }, worker));
    }),
  );
  plan.summary = {
    ...summarizePlan(plan.targets),
    ...(plan.summary.warnings ? { warnings: plan.summary.warnings } : {}),
  };
}

/**
 * After a recording run's verification: the servers it left alone (outcome `unchanged`) and
 * verified again carry `ToolsChanged` drift on their changes, so reports record it as drift paths
 * (`tools.<name>.<field>`). Servers it applied are `health.tools`'s matter (verify-changes.ts).
 */
export function attachVerifiedDrift(input: {
  plan: Plan;
  targets: readonly TargetRun[];
  deps: EngineDeps;
  recorded?: RecordedSurface;
}): void {
  for (const run of input.targets) {
    const tp = input.plan.targets.find((t) => t.environment === run.environment && t.target === run.target);
    if (!tp) continue;
    for (const [i, change] of tp.changes.entries()) {
      const result: ChangeResult | undefined = run.results[i];
      const check = run.verified.get(change.server);
      if (!running(change) || result?.outcome !== 'unchanged' || !check?.ok || !check.surface) continue;
      const server = change.desired as DesiredServer;
      if (server.spec.health?.tools === 'ignore') continue;
      const drift = toolsDriftOf(
        check.surface,
        input.deps.toolLock?.(run.environment, server),
        input.recorded?.(run.environment, run.target, server.name),
      );
      if (drift) change.tools = drift;
    }
  }
  input.plan.summary = {
    ...summarizePlan(input.plan.targets),
    ...(input.plan.summary.warnings ? { warnings: input.plan.summary.warnings } : {}),
  };
}

/** The surfaces the committed reports recorded, by environment, target and server. */
export async function recordedSurfaces(committed: CommittedReports): Promise<RecordedSurface> {
  const reports = await committed();
  const byKey = new Map<string, SurfacePrints>();
  for (const r of reports.values())
    for (const e of r.inventory)
      if (e.surface) byKey.set(`${r.environment}/${r.target}/${e.server}`, e.surface);
  return (environment, target, server) => byKey.get(`${environment}/${target}/${server}`);
}
