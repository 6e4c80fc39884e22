/**
 * `mcp-gitops updates --format markdown`: the report for a pull request or an issue. A table of
 * the servers with a proposal or an error, then what is held and why, in a `<details>` block.
 * Every cell is escaped (Markdown table and inline syntax, HTML), so a package name or a
 * registry's text can neither break the table nor add links or markup; the redactor runs last.
 */
import { redactor } from '../../log/redact.js';
import type { ServerUpdates, UpdatesReport } from '../../updates/types.js';
import { MAX_HELD_SHOWN, plain, summaryText } from './updates-format.js';

export const UPDATES_MARKDOWN_HEADING = '### mcp-gitops updates';

/** Text safe in a Markdown table cell: no markup, no links, no HTML, one line. */
export function cell(text: string): string {
  return plain(text)
    .replace(/[\\`*_[\]#|~<>&]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/:\/\//g, '&#58;//');
}

function code(text: string): string {
  return text === '' ? '' : `<code>${cell(text)}</code>`;
}

function row(server: ServerUpdates): string {
  const proposed = server.proposed
    ? `**${code(server.proposed.pin)}**`
    : server.error
      ? `could not be checked: ${cell(server.error)}`
      : server.skipped
        ? `skipped: ${cell(server.skipped)}`
        : 'up to date';
  const envs = server.environments.map(cell).join(', ');
  const where = server.location ? code(`${server.location.file}:${server.location.line}`) : '';
  const what = server.identifier ? `${cell(server.kind)} ${code(server.identifier)}` : '';
  return `| ${cell(server.server)} | ${what} | ${code(server.current)} | ${proposed} | ${envs} | ${where} |`;
}

export function renderUpdatesMarkdown(report: UpdatesReport): string {
  const revision = report.revision === 'worktree' ? 'the working tree' : code(report.revision.slice(0, 12));
  const lines = [UPDATES_MARKDOWN_HEADING, '', `Config at ${revision}: ${cell(summaryText(report))}`, ''];
  if (report.servers.length > 0) {
    lines.push(
      '| Server | Package | Current | Proposed | Environments | Pinned at |',
      '| --- | --- | --- | --- | --- | --- |',
      ...report.servers.map(row),
      '',
    );
  }
  const held = report.servers.filter((s) => s.held.length > 0 || s.allowed.length > 1);
  if (held.length > 0) {
    lines.push('<details><summary>Other versions</summary>', '');
    for (const server of held) {
      for (const r of server.allowed.slice(1))
        lines.push(`- ${cell(server.server)} ${code(r.version)}: also allowed`);
      for (const h of server.held.slice(0, MAX_HELD_SHOWN)) {
        lines.push(`- ${cell(server.server)} ${code(h.version)}: ${cell(h.reason)}, ${cell(h.detail)}`);
      }
      if (server.held.length > MAX_HELD_SHOWN) {
        lines.push(`- ${cell(server.server)}: ${server.held.length - MAX_HELD_SHOWN} older versions held`);
      }
    }
    lines.push('', '</details>', '');
  }
  return redactor.redact(`${lines.join('\n')}`);
}
