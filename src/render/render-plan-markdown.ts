/**
 * The plan as a pull-request comment: the summary line, a line per fleet target (applied by
 * enrolled agents), one table per environment (a row per target with its counts and status),
 * blocked gates, suspended environments, and a collapsible `<details>` per change with its field
 * diffs as a `diff` block, and the preflight warnings (what apply would fail on, each at its
 * FILE:LINE). Passes through the redactor like every output.
 *
 * `untrusted: true` is the form a pull request's comment takes (DESIGN.md §7: it echoes nothing
 * read from a target): a field's current value on the target is never shown, only the path and
 * the value the pull request asks for, and why a target could not be observed (or any warning) is
 * named by a fixed phrase instead of quoting what the target answered.
 */
import type { Change, Plan, TargetPlan } from '../core/plan.js';
import { redactor } from '../log/redact.js';
import { suspendedEnvironments } from '../plan/suspension.js';
import { renderToolsDriftMarkdown } from '../surface/render-tools-drift.js';
import {
  changeLabel,
  changeSymbol,
  diffSymbol,
  diffText,
  diffTextWithoutTarget,
  retiredLabel,
  visibleChanges,
} from './describe-change.js';
import { fleetTargetLine } from './describe-fleet.js';
import { UNTRUSTED_WARNING, warningLocation, warningSubject } from './describe-warning.js';
import { isQuietPlan, summaryLine } from './summary-line.js';

export const MARKDOWN_HEADING = '### mcp-gitops plan';

export interface MarkdownOptions {
  /** Render for a pull request: nothing read from a target is echoed. */
  untrusted?: boolean;
}

/** How a Stalled target is described to a pull request: the reason itself may quote a target. */
export const UNTRUSTED_STALLED =
  "Stalled: the target could not be observed (the reason is in the reconciler's log and in the target's report)";

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const untrusted = options.untrusted === true;
  const lines = [MARKDOWN_HEADING, ''];
  if (plan.revision) lines.push(`Revision \`${plan.revision}\``, '');
  lines.push(`**${summaryLine(plan)}**`, '');
  // Named even when nothing else is to do: their servers go to machines, not through this plan.
  const fleet = plan.fleet ?? [];
  if (fleet.length > 0)
    lines.push(
      ...fleet.map(
        (note) =>
          `- ${fleetTargetLine(note, `<code>${escapeHtml(`${note.environment}/${note.target}`)}</code>`)}`,
      ),
      '',
    );
  if (!isQuietPlan(plan)) {
    for (const gate of plan.blocked)
      lines.push(`> [!CAUTION]`, `> **Blocked: ${gate.environment}.** ${escapeHtml(gate.reason)}`, '');
    for (const s of suspendedEnvironments(plan))
      lines.push(
        '> [!NOTE]',
        `> **Suspended: ${s.environment}** (\`sync.suspend\`)${s.reason ? `: ${escapeHtml(s.reason)}` : ''}. ` +
          `Nothing in this environment will be applied; \`mcp-gitops resume --env ${s.environment}\` ends the suspension.`,
        '',
      );
    lines.push(...renderWarnings(plan, untrusted));
    for (const env of plan.environments) {
      const blocked = plan.blocked.some((b) => b.environment === env);
      lines.push(
        ...renderEnvironment(
          env,
          plan.targets.filter((t) => t.environment === env),
          blocked,
          untrusted,
        ),
      );
    }
  }
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
  return redactor.redact(`${text}\n`);
}

function renderWarnings(plan: Plan, untrusted: boolean): string[] {
  const warnings = plan.warnings ?? [];
  if (warnings.length === 0) return [];
  const lines = [
    '> [!WARNING]',
    `> **${warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}** found before apply:`,
  ];
  for (const w of warnings) {
    const where = warningLocation(w);
    const message = untrusted ? UNTRUSTED_WARNING[w.code] : w.message;
    const hint = !untrusted && w.hint ? ` Hint: ${escapeHtml(w.hint)}` : '';
    lines.push(
      `> - ${where ? `<code>${escapeHtml(where)}</code> ` : ''}<code>${escapeHtml(warningSubject(w))}</code>: ` +
        `${escapeHtml(message)} (<code>${w.code}</code>)${hint}`,
    );
  }
  lines.push('');
  return lines;
}

function renderEnvironment(
  env: string,
  targets: TargetPlan[],
  blocked: boolean,
  untrusted: boolean,
): string[] {
  // An environment of fleet targets only has nothing this plan observes: its fleet lines say it all.
  if (targets.length === 0) return [];
  const lines = [
    `#### Environment \`${env}\``,
    '',
    '| Target | Provider | Host | Create | Update | Delete | Unchanged | Drifted | Status |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const t of targets) lines.push(targetRow(t, blocked, untrusted));
  lines.push('');
  for (const t of targets) {
    if (t.deferred && t.deferred.servers.length > 0)
      lines.push(
        `- <code>${escapeHtml(t.target)}</code> would carry: ${t.deferred.servers.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}`,
      );
    for (const change of visibleChanges(t)) lines.push(...changeDetails(change, t, untrusted));
  }
  lines.push('');
  return lines;
}

function targetRow(t: TargetPlan, blocked: boolean, untrusted: boolean): string {
  const applied = t.changes.filter((c) => !c.skipApply);
  const count = (action: Change['action']) => applied.filter((c) => c.action === action).length;
  const drifted = t.changes.filter((c) => c.reason === 'drift').length;
  const cells = [
    t.retired ? `\`${t.target}\` (${retiredLabel(t)})` : `\`${t.target}\``,
    t.provider,
    `\`${t.host}\``,
    count('create'),
    count('update'),
    count('delete'),
    count('noop'),
    drifted,
    status(t, blocked, untrusted),
  ];
  return `| ${cells.join(' | ')} |`;
}

function status(t: TargetPlan, blocked: boolean, untrusted: boolean): string {
  if (t.stalled) return untrusted ? UNTRUSTED_STALLED : `Stalled: ${escapeHtml(t.stalled.reason)}`;
  if (t.deferred) return `Not observed: ${escapeHtml(t.deferred.reason)}`;
  if (t.changes.some((c) => c.reason !== 'in-sync' && c.reason !== 'orphan-kept' && !c.skipApply)) {
    return blocked ? 'Blocked' : t.suspended ? 'Suspended' : 'Changes';
  }
  if (t.changes.some((c) => c.skipApply)) return 'Drift not corrected';
  if (t.retired) return t.changes.length > 0 ? 'Kept (sync.prune is false)' : 'Nothing left: report removed';
  if (t.changes.some((c) => c.tools)) return 'Tools changed';
  return 'In sync';
}

function changeDetails(change: Change, t: TargetPlan, untrusted: boolean): string[] {
  const summary = `<code>${changeSymbol(change)} ${escapeHtml(change.server)}</code> on <code>${escapeHtml(t.target)}</code>: ${escapeHtml(changeLabel(change, t))}`;
  // A changed tool surface: the per-tool diff, every server-supplied text escaped and fenced.
  const tools = change.tools ? ['', renderToolsDriftMarkdown(change.server, change.tools).trimEnd(), ''] : [];
  if (change.diffs.length === 0 && tools.length === 0) return [`- ${summary}`];
  if (change.diffs.length === 0)
    return ['', `<details><summary>${summary}</summary>`, ...tools, '</details>', ''];
  const diffLines = change.diffs.map(
    (d) =>
      `${diffSymbol(d) === '~' ? '!' : diffSymbol(d)} ${untrusted ? diffTextWithoutTarget(d) : diffText(d)}`,
  );
  return [
    '',
    `<details><summary>${summary}</summary>`,
    '',
    '```diff',
    ...diffLines,
    '```',
    ...tools,
    '',
    '</details>',
    '',
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&|]/g, (c) => `&#${c.charCodeAt(0)};`);
}
