/**
 * Flux-style conditions of a target after a run, always in the order Ready, Reconciling,
 * Stalled. Stalled: the target was unreachable, a change failed or was rolled back (reason
 * `Quarantined` when a server was taken off the target for its tool surface), or a gate
 * stopped the environment. Ready: not stalled, no drift left, no tool surface differing from
 * its lock (`ToolsChanged`, under `health.tools: warn`), every server healthy. Reconciling: a
 * server is still starting. Messages hold no timestamps, so an unchanged target keeps them.
 */
import type { RetiredInfo } from '../core/plan.js';
import type { ChangeResult, Condition, InventoryEntry } from '../core/report.js';
import { listNames } from '../surface/tools-mode.js';

export interface ConditionInput {
  unreachable?: string;
  gate?: string;
  results: readonly ChangeResult[];
  inventory: readonly InventoryEntry[];
  drift: readonly { server: string; paths: string[] }[];
  driftMode?: string;
  /** `ToolsChanged` drift: servers whose tool surface differs from their lock or last report, with its report paths. */
  toolsDrift?: readonly { server: string; paths: string[] }[];
  /** The servers the repo wants on this target; kept orphans do not decide readiness. */
  desired: readonly string[];
  /** The target was removed from the repo: never Ready, the message says what is left on it. */
  retired?: RetiredInfo;
}

export function buildConditions(input: ConditionInput): Condition[] {
  const stalled = stalledCondition(input);
  const starting = input.inventory.filter((e) => e.health === 'starting').map((e) => e.server);
  const reconciling: Condition = starting.length
    ? {
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: `still starting: ${starting.join(', ')}`,
      }
    : { type: 'Reconciling', status: 'False', reason: 'Idle', message: 'nothing in progress' };
  return [readyCondition(input, stalled), reconciling, stalled];
}

function stalledCondition(input: ConditionInput): Condition {
  const failed = input.results.filter((r) => r.outcome === 'failed' || r.outcome === 'rolled-back');
  if (input.unreachable !== undefined) {
    return { type: 'Stalled', status: 'True', reason: 'TargetUnreachable', message: input.unreachable };
  }
  if (failed.length > 0) {
    const rolledBack = failed.every((r) => r.outcome === 'rolled-back');
    const quarantined = failed.some((r) => r.quarantined);
    const message = [...failed]
      .sort((a, b) => (a.server < b.server ? -1 : 1))
      .map(
        (r) =>
          `${r.server}: ${r.quarantined ? 'quarantined' : r.outcome === 'rolled-back' ? 'rolled back' : 'failed'}${r.message ? ` (${r.message})` : ''}`,
      )
      .join('; ');
    const reason = quarantined ? 'Quarantined' : rolledBack ? 'RolledBack' : 'ApplyFailed';
    return { type: 'Stalled', status: 'True', reason, message };
  }
  if (input.gate !== undefined)
    return { type: 'Stalled', status: 'True', reason: 'Blocked', message: input.gate };
  return { type: 'Stalled', status: 'False', reason: 'Succeeded', message: 'the last run completed' };
}

function readyCondition(input: ConditionInput, stalled: Condition): Condition {
  const not = (reason: string, message: string): Condition => ({
    type: 'Ready',
    status: 'False',
    reason,
    message,
  });
  if (stalled.status === 'True') return not(stalled.reason, stalled.message);
  if (input.retired) return not('Retired', retiredMessage(input.retired, input.inventory));
  if (input.drift.length > 0) {
    const servers = input.drift.map((d) => `${d.server} (${d.paths.join(', ')})`).join('; ');
    return not(
      'DriftDetected',
      `drift not corrected (sync.drift is ${input.driftMode ?? 'not correct'}): ${servers}`,
    );
  }
  const desired = new Set(input.desired);
  const managed = input.inventory.filter((e) => desired.has(e.server));
  const changedTools = managed.filter((e) => e.toolsChanged?.length);
  if (changedTools.length)
    return not(
      'ToolsChanged',
      `tool surface differs from the lock (health.tools is warn): ${changedTools.map((e) => `${e.server} (${listNames(e.toolsChanged ?? [])})`).join('; ')}`,
    );
  const surfaces = input.toolsDrift ?? [];
  if (surfaces.length)
    return not(
      'ToolsChanged',
      `tool surface differs from its lock or last report: ${surfaces.map((d) => `${d.server} (${listNames(d.paths)})`).join('; ')}`,
    );
  const present = new Set(managed.map((e) => e.server));
  const missing = input.desired.filter((name) => !present.has(name));
  if (missing.length) return not('Missing', `not on the target: ${[...missing].sort().join(', ')}`);
  const by = (health: string) => managed.filter((e) => e.health === health).map((e) => e.server);
  const unhealthy = managed.filter((e) => e.health === 'unhealthy');
  if (unhealthy.length)
    return not(
      'Degraded',
      `unhealthy: ${unhealthy.map((e) => (e.healthReason ? `${e.server} (${e.healthReason})` : e.server)).join('; ')}`,
    );
  if (by('starting').length) return not('Progressing', `still starting: ${by('starting').join(', ')}`);
  if (by('unknown').length) return not('HealthUnknown', `not verified yet: ${by('unknown').join(', ')}`);
  const n = managed.length;
  return {
    type: 'Ready',
    status: 'True',
    reason: 'InSync',
    message: `${n} server${n === 1 ? '' : 's'} in sync and healthy`,
  };
}

/** `removed from the repo; still on the target: a, b (kept: sync.prune is false)`. */
export function retiredMessage(retired: RetiredInfo, inventory: readonly InventoryEntry[]): string {
  const what = retired.environmentRemoved
    ? 'removed from the repo with its environment'
    : 'removed from the repo';
  if (inventory.length === 0) return `${what}; nothing left on the target`;
  const names = inventory.map((e) => e.server).join(', ');
  return `${what}; still on the target: ${names}${retired.prune ? '' : ' (kept: sync.prune is false)'}`;
}
