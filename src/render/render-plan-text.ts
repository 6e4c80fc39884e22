/**
 * The plan as people read it in a terminal, like Terraform's: one heading per target, one line per
 * change with its field diffs, stalled targets, blocked gates, suspended environments, the
 * preflight warnings (what apply would fail on, each at its FILE:LINE with a hint), one line per
 * fleet target (applied by enrolled agents, not by this plan), and exactly one
 * summary line at the end. Colour only when asked for. Everything passes through the redactor.
 */
import type { Change, Plan, TargetPlan } from '../core/plan.js';
import { redactor } from '../log/redact.js';
import { suspendedEnvironments } from '../plan/suspension.js';
import { renderSurfaceDiffText } from '../surface/render-diff-text.js';
import { toolsDriftHeading } from '../surface/render-tools-drift.js';
import { type Paint, painter, SYMBOL_COLOUR } from './ansi.js';
import {
  changeLabel,
  changeSymbol,
  diffSymbol,
  diffText,
  inSyncCount,
  plural,
  targetTitle,
  visibleChanges,
} from './describe-change.js';
import { fleetTargetLine } from './describe-fleet.js';
import { formatPlanWarning } from './describe-warning.js';
import { isQuietPlan, summaryLine } from './summary-line.js';

export interface TextOptions {
  color?: boolean;
}

export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  return redactor.redact(`${[...planTextLines(plan, options)].join('\n')}\n`);
}

/**
 * The same text as `renderPlanText`, redacted the same, in pieces of about 64 Ki characters: a
 * 10,000-server plan is ~10 MB of text, which as one string (and its lines, and the buffer
 * written) held tens of MiB at the run's peak.
 */
export function renderPlanTextPieces(plan: Plan, options: TextOptions = {}): Iterable<string> {
  return redactor.redactPieces(withLineBreaks(planTextLines(plan, options)));
}

function* withLineBreaks(lines: Iterable<string>): Generator<string> {
  for (const line of lines) yield `${line}\n`;
}

function* planTextLines(plan: Plan, options: TextOptions): Generator<string> {
  const paint = painter(options.color === true);
  if (!isQuietPlan(plan)) {
    for (const target of plan.targets) {
      yield* renderTarget(target, paint);
      yield '';
    }
    for (const gate of plan.blocked) {
      yield paint('red', `Blocked: environment ${gate.environment}: ${gate.reason}`);
      yield '  Nothing in this environment will be applied.';
      yield '';
    }
    for (const s of suspendedEnvironments(plan)) {
      yield paint(
        'yellow',
        `Suspended: environment ${s.environment} (sync.suspend)${s.reason ? `: ${s.reason}` : ''}`,
      );
      yield `  Nothing in this environment will be applied; \`mcp-gitops resume --env ${s.environment}\` ends the suspension.`;
      yield '';
    }
    yield* renderWarnings(plan, paint);
  }
  // Named even when nothing else is to do: their servers go to machines, not through this plan.
  const fleet = plan.fleet ?? [];
  if (fleet.length > 0) {
    for (const note of fleet) yield fleetTargetLine(note);
    yield '';
  }
  yield paint('bold', summaryLine(plan));
}

function* renderTarget(target: TargetPlan, paint: Paint): Generator<string> {
  yield paint('bold', targetTitle(target));
  if (target.stalled) {
    yield paint('red', `  stalled: ${target.stalled.reason}`);
    return;
  }
  if (target.deferred) {
    yield paint('yellow', `  not observed: ${target.deferred.reason}`);
    if (target.deferred.servers.length > 0) yield `  servers: ${target.deferred.servers.join(', ')}`;
    return;
  }
  for (const change of visibleChanges(target)) yield* renderChange(change, target, paint);
  const inSync = inSyncCount(target);
  if (inSync > 0) yield paint('dim', `  ${plural(inSync, 'server')} in sync`);
  if (target.changes.length === 0)
    yield paint(
      'dim',
      target.retired ? '  nothing of its servers left; its report is removed' : '  no servers',
    );
}

function renderChange(change: Change, target: TargetPlan, paint: Paint): string[] {
  const symbol = changeSymbol(change);
  const head = paint(SYMBOL_COLOUR[symbol] ?? 'dim', `  ${symbol} ${change.server}`);
  const lines = [`${head}: ${changeLabel(change, target)}`];
  for (const diff of change.diffs) {
    const s = diffSymbol(diff);
    lines.push(paint(SYMBOL_COLOUR[s] ?? 'dim', `      ${s} ${diffText(diff)}`));
  }
  if (change.tools) {
    lines.push(paint('yellow', `      ${toolsDriftHeading(change.tools)}`));
    for (const line of renderSurfaceDiffText(change.tools.diff)) lines.push(`        ${line}`);
  }
  return lines;
}

/** `Warnings:`, then one diagnostic-shaped line and a hint per warning. */
function* renderWarnings(plan: Plan, paint: Paint): Generator<string> {
  const warnings = plan.warnings ?? [];
  if (warnings.length === 0) return;
  yield paint('yellow', 'Warnings:');
  for (const w of warnings) {
    yield `  ${formatPlanWarning(w)}`;
    if (w.hint) yield paint('dim', `    hint: ${w.hint}`);
  }
  yield '';
}
