/**
 * The `--verify-new` section of a plan, as terminal text and as Markdown (a plan's `--format
 * markdown` and a pull request's comment). Every string a server chose — tool names, descriptions,
 * instructions — goes through safe-text.ts: hidden characters shown as escapes, cut to a bound,
 * and in Markdown made inert, so a description cannot hide itself, fake a heading or ping people.
 */
import { describeResult, type ResultDescription, type SurfaceItem } from './describe-result.js';
import { markdownText, visibleText } from './safe-text.js';
import type { VerifyNewResult } from './types.js';

const NAME_CHARS = 80;
const TEXT_HEADING =
  'New tool surfaces (--verify-new: each new spec started in a scratch place, not on a target)';
export const MARKDOWN_VERIFY_NEW_HEADING = '### New tool surfaces';

export function renderVerifyNewText(results: readonly VerifyNewResult[]): string {
  const lines = ['', `${TEXT_HEADING}:`];
  if (results.length === 0)
    lines.push('  No server is created or updated with a new spec: nothing to start.');
  for (const r of results) {
    const d = describeResult(r);
    lines.push('', `  ${visibleText(d.title, NAME_CHARS * 2)} on ${visibleText(d.where, 400)}`);
    lines.push(`    ${visibleText(d.headline, 800)}`);
    if (d.protocol) lines.push(`    ${visibleText(d.protocol, 200)}`);
    for (const item of d.items) lines.push(...textItem(item));
  }
  return `${lines.join('\n')}\n`;
}

function name(tool: string): string {
  return visibleText(tool, NAME_CHARS);
}

function hints(h: string[]): string {
  return h.length > 0 ? ` [${h.join(', ')}]` : '';
}

function quoted(text: string | undefined): string {
  return text === undefined ? '(none)' : `"${visibleText(text)}"`;
}

function textItem(item: SurfaceItem): string[] {
  switch (item.kind) {
    case 'hygiene':
      return [`    !! tool-description-hygiene: ${name(item.tool)}: ${visibleText(item.finding, 300)}`];
    case 'escalation':
      return [`    ! escalation: ${name(item.tool)}: ${visibleText(item.change, 200)}`];
    case 'added':
      return [`    + ${name(item.tool)}${hints(item.hints)}: ${quoted(item.description)}`];
    case 'tool':
      return [`      ${name(item.tool)}${hints(item.hints)}: ${quoted(item.description)}`];
    case 'removed':
      return [`    - ${name(item.tool)}`];
    case 'changed': {
      const lines = [`    ~ ${name(item.tool)}: ${visibleText(item.fields.join(', '), 400)}`];
      if (item.description) {
        lines.push(`        before: ${quoted(item.description.before)}`);
        lines.push(`        after:  ${quoted(item.description.after)}`);
      }
      return lines;
    }
    case 'instructions':
      return item.before === undefined
        ? [`    instructions: ${quoted(item.after)}`]
        : [
            `    instructions before: ${quoted(item.before)}`,
            `    instructions after:  ${quoted(item.after)}`,
          ];
    case 'names':
      return [`    ${item.what}: ${namesText(item.added, item.removed, (n) => visibleText(n, NAME_CHARS))}`];
    case 'more':
      return [`    ... and ${item.count} more tools`];
  }
}

function namesText(added: string[], removed: string[], safe: (n: string) => string): string {
  return [
    ...added.slice(0, 30).map((n) => `+ ${safe(n)}`),
    ...removed.slice(0, 30).map((n) => `- ${safe(n)}`),
  ].join(', ');
}

/** The Markdown section. `untrusted` adds nothing today: every server string is escaped either way. */
export function renderVerifyNewMarkdown(results: readonly VerifyNewResult[]): string {
  const lines = [
    MARKDOWN_VERIFY_NEW_HEADING,
    '',
    'Each new server spec was started in a scratch place (temp directory and HOME, no secrets), not on a target. Text below is what the server offers the model, escaped.',
    '',
  ];
  if (results.length === 0)
    lines.push('No server is created or updated with a new spec: nothing to start.', '');
  for (const r of results) lines.push(...markdownResult(describeResult(r)));
  return `${lines.join('\n').trimEnd()}\n`;
}

function markdownResult(d: ResultDescription): string[] {
  const lines = [
    `**${markdownText(d.title, NAME_CHARS * 2)}** on ${markdownText(d.where, 400)}: ${markdownText(d.headline, 800)}`,
    '',
  ];
  if (d.protocol) lines.push(`<sub>${markdownText(d.protocol, 200)}</sub>`, '');
  if (d.items.length === 0) return lines;
  lines.push('| | Tool | What the model reads |', '|---|---|---|');
  for (const item of d.items) lines.push(markdownRow(item));
  lines.push('');
  return lines;
}

function cell(text: string | undefined): string {
  return text === undefined ? '*(none)*' : markdownText(text);
}

function markdownRow(item: SurfaceItem): string {
  const tool = (t: string) => markdownText(t, NAME_CHARS);
  const tags = (h: string[]) => (h.length > 0 ? ` *(${h.join(', ')})*` : '');
  switch (item.kind) {
    case 'hygiene':
      return `| ⛔ | ${tool(item.tool)} | **tool-description-hygiene:** ${markdownText(item.finding, 300)} |`;
    case 'escalation':
      return `| ⚠️ | ${tool(item.tool)} | **escalation:** ${markdownText(item.change, 200)} |`;
    case 'added':
      return `| + | ${tool(item.tool)}${tags(item.hints)} | ${cell(item.description)} |`;
    case 'tool':
      return `| | ${tool(item.tool)}${tags(item.hints)} | ${cell(item.description)} |`;
    case 'removed':
      return `| − | ${tool(item.tool)} | *(removed)* |`;
    case 'changed':
      return item.description
        ? `| ~ | ${tool(item.tool)} | **now:** ${cell(item.description.after)}<br>**was:** ${cell(item.description.before)} |`
        : `| ~ | ${tool(item.tool)} | *changed:* ${markdownText(item.fields.join(', '), 400)} |`;
    case 'instructions':
      return `| ~ | *(instructions)* | ${cell(item.after)}${item.before === undefined ? '' : `<br>**was:** ${cell(item.before)}`} |`;
    case 'names':
      return `| ~ | *(${item.what})* | ${namesText(item.added, item.removed, (n) => markdownText(n, NAME_CHARS))} |`;
    case 'more':
      return `| | ... | *and ${item.count} more tools* |`;
  }
}
