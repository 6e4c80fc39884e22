/**
 * The report of one target after a run (`reports/<env>/<target>.json`, DESIGN.md §6): conditions,
 * inventory, drift left uncorrected, last apply results and the last runs. No timestamps: an
 * uneventful rerun returns the previous report unchanged (revisions included), so nothing churns.
 */
import type { TargetPlan } from '../core/plan.js';
import type { ChangeResult, InventoryEntry, TargetReport } from '../core/report.js';
import type { DesiredTarget, ObservedTarget } from '../core/state.js';
import { surfaceDriftPaths } from '../surface/diff-paths.js';
import { buildConditions } from './build-conditions.js';
import { buildInventory, type ServerVerification } from './build-inventory.js';
import { appendRun, isEventful, runRecord } from './run-record.js';
import { heldChanges, suspendedConditions } from './suspension.js';

export type { ServerVerification } from './build-inventory.js';

export interface TargetReportInput {
  previous?: TargetReport;
  targetPlan: TargetPlan;
  observed: ObservedTarget;
  /** One per planned change (noops as `unchanged`); missing results count as not applied. */
  results: readonly ChangeResult[];
  verification: ReadonlyMap<string, ServerVerification>;
  revision: string | undefined;
  desired: DesiredTarget;
  /** Why nothing was applied in this environment (maxDeletions gate, preApply hook abort). */
  gate?: string;
  /**
   * A rollback: the run's revision is recorded as attempted (and applied, when it succeeded) even
   * when nothing changed, since what the target runs is now what that revision declares.
   */
  rollback?: boolean;
}

export function buildTargetReport(input: TargetReportInput): TargetReport {
  const { previous, targetPlan } = input;
  const unreachable =
    targetPlan.stalled?.reason ??
    (input.observed.reachable ? undefined : (input.observed.reason ?? 'unreachable'));
  const stalled = unreachable !== undefined;
  const results = new Map(input.results.map((r) => [r.server, r]));

  const inventory = stalled
    ? [...(previous?.inventory ?? [])]
    : buildInventory({
        changes: targetPlan.changes,
        results,
        verification: input.verification,
        previous: previous?.inventory ?? [],
        revision: input.revision,
      });
  const byServer = (a: { server: string }, b: { server: string }) =>
    a.server < b.server ? -1 : a.server > b.server ? 1 : 0;
  const configDrift = targetPlan.changes
    .filter((c) => c.reason === 'drift' && results.get(c.server)?.outcome !== 'applied')
    .map((c) => ({ server: c.server, paths: c.diffs.map((d) => d.path) }));
  // `ToolsChanged` (a tool surface that differs from its lock or last report) as drift paths
  // `tools.<name>.<field>`: names only, never a description. Readiness says ToolsChanged for it.
  const toolsDrift = targetPlan.changes.flatMap((c) =>
    c.tools ? [{ server: c.server, paths: surfaceDriftPaths(c.tools.diff) }] : [],
  );
  // One entry per server, its config drift paths then its tool surface's.
  const merged = new Map<string, { server: string; paths: string[] }>();
  for (const d of [...configDrift, ...toolsDrift]) {
    const same = merged.get(d.server);
    if (same) same.paths.push(...d.paths);
    else merged.set(d.server, { server: d.server, paths: [...d.paths] });
  }
  const drift = stalled ? [...(previous?.drift ?? [])] : [...merged.values()].sort(byServer);
  const drifted = targetPlan.changes.filter((c) => c.reason === 'drift').length;

  const record = runRecord({ revision: input.revision, stalled, results: input.results, drifted });
  const eventful = isEventful(record, previous?.runs[0]);
  // A run with nothing to apply that still found the target different from its report (servers
  // applied by `apply`, which records nothing) records that the target is at this revision now.
  const caughtUp =
    !eventful &&
    record.result === 'no-op' &&
    configDrift.length === 0 &&
    (input.rollback === true || !sameInventory(inventory, previous));
  const attempted = eventful || caughtUp ? input.revision : (previous?.revision.attempted ?? input.revision);
  // Changes a suspension held back: this revision is not applied, whatever else the run did.
  const held = heldChanges(targetPlan, results);
  const applied =
    (eventful || caughtUp) && (record.result === 'success' || record.result === 'no-op') && held.length === 0
      ? input.revision
      : previous?.revision.applied;

  const lastApply =
    eventful && (record.changed > 0 || record.failed > 0) ? applyResults(input) : (previous?.lastApply ?? []);
  const facts = stalled ? previous?.facts : input.observed.facts;
  const findings = stalled ? previous?.findings : input.observed.findings;
  const built = buildConditions({
    unreachable,
    gate: input.gate,
    results: input.results,
    inventory,
    drift: stalled ? drift : configDrift,
    ...(stalled || toolsDrift.length === 0 ? {} : { toolsDrift }),
    driftMode: targetPlan.driftMode,
    desired: input.desired.servers.map((s) => s.name),
    ...(targetPlan.retired ? { retired: targetPlan.retired } : {}),
  });
  const conditions = suspendedConditions(built, targetPlan, held);

  return {
    apiVersion: 'mcp-gitops/v1',
    kind: 'TargetReport',
    environment: targetPlan.environment,
    target: targetPlan.target,
    provider: targetPlan.provider,
    host: targetPlan.host,
    ...(targetPlan.retired ? { retired: targetPlan.retired } : {}),
    ...(targetPlan.suspended ? { suspended: { ...targetPlan.suspended } } : {}),
    revision: withoutUndefined({ applied, attempted }),
    conditions,
    ...(facts && Object.keys(facts).length > 0 ? { facts } : {}),
    inventory,
    drift,
    ...(findings && findings.length > 0 ? { findings } : {}),
    lastApply,
    runs: eventful ? appendRun(previous?.runs ?? [], record) : [...(previous?.runs ?? [])],
  };
}

/** Results of the changes that did something (or tried to), with the plan's diffs filled in. */
function applyResults(input: TargetReportInput): ChangeResult[] {
  const changes = new Map(input.targetPlan.changes.map((c) => [c.server, c]));
  return input.results
    .filter((r) => r.outcome !== 'unchanged' && r.action !== 'noop')
    .map((r) => {
      const diffs = r.diffs ?? changes.get(r.server)?.diffs;
      return withoutUndefined({ ...r, diffs: diffs && diffs.length > 0 ? diffs : undefined });
    });
}

/** Same servers at the same specs (health and tool facts aside). */
function sameInventory(inventory: readonly InventoryEntry[], previous: TargetReport | undefined): boolean {
  const key = (entries: readonly InventoryEntry[]) =>
    entries.map((e) => `${e.server}@${e.specHash}`).join(',');
  return previous !== undefined && key(inventory) === key(previous.inventory);
}

function withoutUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
