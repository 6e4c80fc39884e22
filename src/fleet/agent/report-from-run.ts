/**
 * One pass's outcome for one fleet target as the hub hears it (pure): `failing` when the target
 * could not be observed, a gate stopped it, a change failed or a server is unhealthy; `drifted`
 * when a managed entry differs from the bundle and was left alone (sync.drift warn/detect, or a
 * suspended environment's pending changes); `in-sync` otherwise. Per server: outcome, health and
 * tool count (this pass's verification, else what the last pass knew at the same spec). Drift is
 * field paths only; every reason is redacted, escaped and capped (safe-text.ts).
 */
import type { Change, TargetPlan } from '../../core/plan.js';
import type { ChangeResult } from '../../core/report.js';
import type { Health } from '../../core/state.js';
import type { TargetRun } from '../../engine/types.js';
import {
  type AgentServerOutcome,
  type AgentServerReport,
  type AgentTargetReport,
  type BundleTarget,
  FLEET_LIMITS,
  type MachineTargetState,
} from '../protocol.js';
import type { KnownServer } from './last-pass.js';
import { reportText } from './safe-text.js';

export interface TargetOutcomeInput {
  bundleTarget: BundleTarget;
  plan: TargetPlan | undefined;
  run: TargetRun | undefined;
  /** Why nothing was applied to the environment (maxDeletions gate). */
  gate?: string;
  /** Nothing was applied: the environment is suspended (plan only). */
  suspended: boolean;
  /** What the last pass verified, by server. */
  known: Record<string, KnownServer>;
}

export function reportFromRun(input: TargetOutcomeInput): AgentTargetReport {
  const { bundleTarget, plan, run } = input;
  const stalledReason =
    plan?.stalled?.reason ??
    (run && !run.observed.reachable ? (run.observed.reason ?? 'unreachable') : undefined);
  const error = !plan
    ? 'the target was not planned'
    : stalledReason !== undefined
      ? stalledReason
      : input.gate;
  const results = new Map((run?.results ?? []).map((r) => [r.server, r]));
  const changes = new Map((plan?.changes ?? []).map((c) => [c.server, c]));

  const servers = bundleTarget.servers
    .slice(0, FLEET_LIMITS.serversPerTarget)
    .map((s) =>
      serverReport(s.name, s.specHash, changes.get(s.name), results.get(s.name), run, input.known[s.name]),
    );
  const drift = driftOf(plan?.changes ?? [], results, input.suspended);
  const failed =
    error !== undefined ||
    [...results.values()].some((r) => r.outcome === 'failed' || r.outcome === 'rolled-back') ||
    servers.some((s) => s.health === 'unhealthy');
  const state: MachineTargetState = failed ? 'failing' : drift.length > 0 ? 'drifted' : 'in-sync';
  return {
    target: bundleTarget.name,
    digest: bundleTarget.digest,
    state,
    servers,
    drift,
    ...(error !== undefined ? { error: reportText(error) } : {}),
  };
}

function serverReport(
  name: string,
  specHash: string,
  change: Change | undefined,
  result: ChangeResult | undefined,
  run: TargetRun | undefined,
  known: KnownServer | undefined,
): AgentServerReport {
  const verified = run?.verified.get(name);
  const carried = known && known.specHash === specHash ? known : undefined;
  const outcome: AgentServerOutcome =
    result?.outcome ?? (change && change.action !== 'noop' ? 'skipped' : 'unchanged');
  const missing = outcome !== 'applied' && change?.action === 'create';
  const down = change?.observed?.down;
  const health: Health = missing
    ? 'unknown'
    : down
      ? 'unhealthy'
      : (verified?.health ?? change?.observed?.health ?? carried?.health ?? 'unknown');
  const tools = verified?.toolCount ?? carried?.tools;
  const why =
    outcome === 'failed' || outcome === 'rolled-back'
      ? (result?.message ?? verified?.error)
      : health === 'unhealthy'
        ? (down ?? verified?.error)
        : undefined;
  return {
    name,
    specHash,
    outcome,
    health,
    ...(tools !== undefined ? { tools } : {}),
    ...(why ? { reason: reportText(why) } : {}),
  };
}

/** Drift left on the machine: field paths only (a missing or extra entry as `(create)` / `(delete)`). */
function driftOf(
  changes: readonly Change[],
  results: ReadonlyMap<string, ChangeResult>,
  suspended: boolean,
): AgentTargetReport['drift'] {
  const out: AgentTargetReport['drift'] = [];
  for (const c of changes) {
    if (c.action === 'noop' || results.get(c.server)?.outcome === 'applied') continue;
    if (c.reason !== 'drift' && !suspended) continue;
    // A whole entry missing or extra is one path, not every field of it.
    const paths =
      c.action === 'update' && c.diffs.length > 0 ? c.diffs.map((d) => d.path) : [`(${c.action})`];
    out.push({
      server: c.server,
      paths: [...new Set(paths)].slice(0, FLEET_LIMITS.driftPathsPerServer).map((p) => reportText(p, 200)),
    });
  }
  return out.sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
}
