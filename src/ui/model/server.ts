/**
 * A server's view model (`/env/<env>/server/<server>`): per target that runs it (or quarantined
 * it), the inventory entry as applied, the last change with its field diffs, drift paths, health
 * and the health changes this process saw, and its tool surface against the committed lock. The
 * lock holds the reviewed text (descriptions, schemas); the report holds what verification saw as
 * fingerprints, so per-tool state comes from `compareToLock` (the existing comparison), not a new diff.
 */
import { createHash } from 'node:crypto';
import type { ChangeResult, InventoryEntry } from '../../core/report.js';
import { compareToLock, type LockComparison, UNVERSIONED } from '../../surface/lock/index.js';
import type { SurfaceTool, ToolSurface, ToolsDrift } from '../../surface/types.js';
import type { RecordedHealth } from '../read-health-history.js';
import type { LockRead } from '../read-locks.js';
import type { ReportSet } from '../read-reports.js';
import type { AppliedSpec } from '../read-spec.js';
import type { HealthChange } from './health-log.js';
import { type TargetState, targetState } from './target-state.js';

export type ToolState = 'matches' | 'changed' | 'added' | 'removed' | 'locked' | 'unlocked';

export interface ToolRow {
  name: string;
  state: ToolState;
  /** From the lock (reviewed text), when the tool is in it. */
  locked?: SurfaceTool;
}

export interface ServerOnTarget {
  target: string;
  targetState: TargetState;
  /** The config revision the target's report says was applied. */
  appliedRevision?: string;
  /** Its spec in that revision (filled in by the site: it reads git). */
  applied?: AppliedSpec;
  /** Its health at each report commit, newest first (filled in by the site). */
  recorded?: RecordedHealth[];
  /** serve only: how the live surface differed from the lock at the last reconcile. */
  liveTools?: ToolsDrift;
  entry?: InventoryEntry;
  lastApply?: ChangeResult;
  drift: string[];
  lock?: LockRead;
  comparison?: LockComparison;
  tools: ToolRow[];
  prompts: string[];
  resourceTemplates: string[];
  instructions?: string;
  healthLog: HealthChange[];
}

export interface ServerModel {
  environment: string;
  server: string;
  targets: ServerOnTarget[];
}

export interface ServerDeps {
  lock(server: string, version: string): LockRead;
  healthLog(environment: string, target: string, server: string): HealthChange[];
  toolsDrift?(environment: string, target: string, server: string): ToolsDrift | undefined;
}

export function serverModel(
  set: ReportSet,
  environment: string,
  server: string,
  deps: ServerDeps,
): ServerModel | undefined {
  const targets: ServerOnTarget[] = [];
  for (const r of set.reports) {
    if (r.environment !== environment) continue;
    const entry = r.inventory.find((e) => e.server === server);
    const lastApply = r.lastApply.find((a) => a.server === server);
    if (!entry && !lastApply) continue;
    const drift = r.drift.find((d) => d.server === server)?.paths ?? [];
    // The version a lock is filed under (lockVersion of the spec): its package version, else unversioned.
    const version = entry?.version ?? UNVERSIONED;
    const lock = entry ? deps.lock(server, version) : undefined;
    const surface = surfaceSide(entry, lock);
    targets.push({
      target: r.target,
      targetState: targetState(r),
      ...(r.revision.applied ? { appliedRevision: r.revision.applied } : {}),
      ...(entry ? { entry } : {}),
      ...(lastApply ? { lastApply } : {}),
      drift,
      ...(lock ? { lock } : {}),
      ...surface,
      healthLog: deps.healthLog(environment, r.target, server),
      ...withLive(deps.toolsDrift?.(environment, r.target, server)),
    });
  }
  return targets.length === 0 ? undefined : { environment, server, targets };
}

function surfaceSide(
  entry: InventoryEntry | undefined,
  lock: LockRead | undefined,
): Pick<ServerOnTarget, 'comparison' | 'tools' | 'prompts' | 'resourceTemplates' | 'instructions'> {
  const locked = lock?.state === 'found' ? lock.surface : undefined;
  const seen = entry?.surface;
  if (!locked) {
    return {
      tools: (seen?.tools ?? []).map((t) => ({ name: t.name, state: 'unlocked' as const })),
      prompts: seen?.prompts ?? [],
      resourceTemplates: seen?.resourceTemplates ?? [],
    };
  }
  const base = {
    prompts: locked.prompts,
    resourceTemplates: locked.resourceTemplates,
    ...(locked.instructions !== undefined ? { instructions: locked.instructions } : {}),
  };
  if (!seen)
    return {
      ...base,
      tools: locked.tools.map((t) => ({ name: t.name, state: 'locked' as const, locked: t })),
    };
  const current: ToolSurface = {
    fingerprint: seen.fingerprint,
    tools: seen.tools.map((t) => ({ name: t.name, fingerprint: t.fingerprint })),
    prompts: seen.prompts,
    resourceTemplates: seen.resourceTemplates,
    ...instructionsSeen(locked.instructions, seen.instructionsFingerprint),
  };
  const comparison = compareToLock(locked, current);
  const added = new Set(comparison.added);
  const changed = new Set(comparison.changed);
  const removed = new Set(comparison.removed);
  const byName = new Map(locked.tools.map((t) => [t.name, t]));
  const names = [...new Set([...locked.tools.map((t) => t.name), ...seen.tools.map((t) => t.name)])].sort();
  const tools = names.map((name): ToolRow => {
    const l = byName.get(name);
    const state: ToolState = added.has(name)
      ? 'added'
      : removed.has(name)
        ? 'removed'
        : changed.has(name)
          ? 'changed'
          : 'matches';
    return { name, state, ...(l ? { locked: l } : {}) };
  });
  return { ...base, comparison, tools };
}

function withLive(live: ToolsDrift | undefined): { liveTools?: ToolsDrift } {
  return live ? { liveTools: live } : {};
}

/**
 * The report keeps only a fingerprint of the instructions: the locked text stands for them when
 * the fingerprints agree, a marker that cannot equal any text when they do not.
 */
function instructionsSeen(
  locked: string | undefined,
  fingerprint: string | undefined,
): { instructions?: string } {
  if (fingerprint === undefined) return {};
  if (locked !== undefined && `sha256:${createHash('sha256').update(locked).digest('hex')}` === fingerprint)
    return { instructions: locked };
  return { instructions: `\u0000${fingerprint}` };
}
