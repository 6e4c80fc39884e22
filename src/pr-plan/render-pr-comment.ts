/**
 * The sticky comment's Markdown for every way a pull request's plan can end: planned, invalid,
 * validated only, or refused (too large, too slow, not fetched). Text from the pull request itself
 * (diagnostics, values it sets) may appear; nothing read from a target does. Bounded in length:
 * GitHub refuses comments over 65,536 characters.
 */
import { type Diagnostic, formatDiagnostic } from '../core/diagnostics.js';
import type { Plan } from '../core/plan.js';
import { redactor } from '../log/redact.js';
import { MARKDOWN_HEADING, renderPlanMarkdown } from '../render/render-plan-markdown.js';

export const MAX_COMMENT_CHARS = 60_000;
const MAX_DIAGNOSTICS = 50;

export function plannedComment(input: {
  plan: Plan;
  head: string;
  baseRevision?: string;
  warnings: readonly Diagnostic[];
}): string {
  const { plan } = input;
  plan.revision = input.head;
  const body = renderPlanMarkdown(plan, { untrusted: true }).trimEnd();
  const notes: string[] = [];
  if (plan.targets.some((t) => t.deferred))
    notes.push(
      '> [!NOTE]',
      '> A pull request is planned against its targets as the base branch defines them: targets it adds or changes are not contacted until it is merged.',
      '',
    );
  if (input.baseRevision)
    notes.push(`<sub>Targets observed as defined at \`${input.baseRevision.slice(0, 12)}\`.</sub>`, '');
  return bound([body, '', ...notes, ...diagnosticBlock('Warnings', input.warnings)].join('\n'));
}

export function invalidComment(head: string, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return bound(
    [
      MARKDOWN_HEADING,
      '',
      `Revision \`${head}\``,
      '',
      `**The configuration is invalid (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}): nothing was planned.**`,
      '',
      ...diagnosticBlock('Errors', errors, true),
      ...diagnosticBlock(
        'Warnings',
        diagnostics.filter((d) => d.severity === 'warning'),
      ),
    ].join('\n'),
  );
}

export function validatedComment(head: string, why: string, warnings: readonly Diagnostic[]): string {
  return bound(
    [
      MARKDOWN_HEADING,
      '',
      `Revision \`${head}\``,
      '',
      '**The configuration is valid.** It was validated, not planned: ' +
        `${escapeMarkdown(why)}, and such pull requests are validated only (\`serve --untrusted-prs\`).`,
      '',
      ...diagnosticBlock('Warnings', warnings),
    ].join('\n'),
  );
}

/** A pull request that was not planned, and why (`what` names the step, `why` the limit). */
export function refusedComment(head: string | undefined, what: string, why: string): string {
  return bound(
    [
      MARKDOWN_HEADING,
      '',
      ...(head ? [`Revision \`${head}\``, ''] : []),
      `**Refused: ${escapeMarkdown(what)}.** ${escapeMarkdown(why)}`,
      '',
      'Nothing was contacted and nothing was applied. Make the pull request smaller or simpler, or ask an operator about the limits of `serve` (`--pr-timeout`, `--pr-max-memory`, `--pr-max-fetch`).',
    ].join('\n'),
  );
}

function diagnosticBlock(title: string, diagnostics: readonly Diagnostic[], open = false): string[] {
  if (diagnostics.length === 0) return [];
  const shown = diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => formatDiagnostic(d));
  const more = diagnostics.length - shown.length;
  return [
    `<details${open ? ' open' : ''}><summary>${title} (${diagnostics.length})</summary>`,
    '',
    '```',
    ...shown.map((l) => l.replace(/```/g, "'''")),
    ...(more > 0 ? [`... and ${more} more`] : []),
    '```',
    '',
    '</details>',
    '',
  ];
}

function escapeMarkdown(text: string): string {
  return text.replace(/[<>&|`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function bound(markdown: string): string {
  const text = redactor.redact(`${markdown.trimEnd()}\n`);
  if (text.length <= MAX_COMMENT_CHARS) return text;
  return `${text.slice(0, MAX_COMMENT_CHARS)}\n\n... (cut: the plan is longer than a comment can hold; run \`mcp-gitops plan\` for all of it)\n`;
}
