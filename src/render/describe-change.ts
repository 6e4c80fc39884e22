/** Words and symbols shared by the text and Markdown plan renderers, so both say the same thing. */
import type { Change, FieldDiff, TargetPlan } from '../core/plan.js';

export type ChangeSymbol = '+' | '~' | '-' | '!' | '=';

export function changeSymbol(change: Change): ChangeSymbol {
  if (change.skipApply) return '!';
  // Tool-surface drift of a server in sync: reported, never applied.
  if (change.tools && change.reason === 'in-sync') return '!';
  if (change.action === 'create') return '+';
  if (change.action === 'update') return '~';
  if (change.action === 'delete') return '-';
  return '=';
}

/** `create (missing)`, `update (spec)`, `drift not corrected (sync.drift is detect)`, ... */
export function changeLabel(change: Change, target: TargetPlan): string {
  if (change.skipApply) return `drift not corrected (sync.drift is ${target.driftMode ?? 'not correct'})`;
  if (change.reason === 'orphan-kept') return 'kept, no longer in the repo (sync.prune is false)';
  if (change.tools && change.reason === 'in-sync') return 'tool surface changed (ToolsChanged, not applied)';
  return `${change.action} (${change.reason})`;
}

/** Changes worth showing: everything except servers that are simply in sync (a changed tool surface is shown). */
export function visibleChanges(target: TargetPlan): Change[] {
  return target.changes.filter((c) => c.reason !== 'in-sync' || c.tools !== undefined);
}

export function inSyncCount(target: TargetPlan): number {
  return target.changes.length - visibleChanges(target).length;
}

export function diffSymbol(diff: FieldDiff): '+' | '-' | '~' {
  if (diff.before === undefined) return '+';
  if (diff.after === undefined) return '-';
  return '~';
}

/** `env.LOG_LEVEL: "info" → "debug"`, `+ transport: "stdio"`, `- env.DEBUG: "1"`. */
export function diffText(diff: FieldDiff): string {
  const symbol = diffSymbol(diff);
  if (symbol === '+') return `${diff.path}: ${formatValue(diff.after)}`;
  if (symbol === '-') return `${diff.path}: ${formatValue(diff.before)}`;
  return `${diff.path}: ${formatValue(diff.before)} → ${formatValue(diff.after)}`;
}

/**
 * The same line without the value the target holds now (it was read from the target): a pull
 * request sees what it asks for, never what is there. `env.LOG_LEVEL: → "debug"`, `- env.DEBUG`.
 */
export function diffTextWithoutTarget(diff: FieldDiff): string {
  const symbol = diffSymbol(diff);
  if (symbol === '+') return `${diff.path}: ${formatValue(diff.after)}`;
  if (symbol === '-') return diff.path;
  return `${diff.path}: → ${formatValue(diff.after)}`;
}

export function formatValue(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

/** `dev/vm-1 (process on ssh://…)`; a retired target adds `, removed from the repo`. */
export function targetTitle(target: TargetPlan): string {
  const retired = target.retired ? `, ${retiredLabel(target)}` : '';
  return `${target.environment}/${target.target} (${target.provider} on ${target.host}${retired})`;
}

/** `removed from the repo` or `removed from the repo with its environment`. */
export function retiredLabel(target: TargetPlan): string {
  return target.retired?.environmentRemoved
    ? 'removed from the repo with its environment'
    : 'removed from the repo';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
