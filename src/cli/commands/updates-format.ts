/**
 * `mcp-gitops updates` output as text and JSON. Text: a small table per server (current, proposed,
 * the other allowed versions, held versions with why, errors, skipped) and a fixed summary line.
 * JSON: the UpdatesReport under a versioned envelope, servers in the report's sorted order. Every
 * value shown passed src/updates/safe-text.ts or a strict version shape; the repo's own strings
 * (names, identifiers) are cut to printable text here, and everything goes through the redactor.
 */
import { redactor } from '../../log/redact.js';
import type { ServerUpdates, UpdatesReport } from '../../updates/types.js';

export const UPDATES_API_VERSION = 'mcp-gitops/v1';
/** Held versions shown per server in text and Markdown, newest first; JSON has them all. */
export const MAX_HELD_SHOWN = 10;

/** One line of printable text (control characters and line breaks become spaces), bounded. */
export function plain(text: string, max = 200): string {
  const line = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface UpdatesSummary {
  checked: number;
  pending: number;
  errors: number;
  skipped: number;
}

export function summarize(report: UpdatesReport): UpdatesSummary {
  const s = { checked: 0, pending: 0, errors: 0, skipped: 0 };
  for (const server of report.servers) {
    if (server.skipped) s.skipped++;
    else if (server.error) s.errors++;
    else {
      s.checked++;
      if (server.proposed) s.pending++;
    }
  }
  return s;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryText(report: UpdatesReport): string {
  const s = summarize(report);
  const parts = [
    `${plural(s.checked, 'server')} checked`,
    s.pending === 0 ? 'no update pending' : `${plural(s.pending, 'update')} pending`,
  ];
  if (s.errors > 0) parts.push(`${s.errors} could not be checked`);
  if (s.skipped > 0) parts.push(`${s.skipped} skipped`);
  const seconds = (report.durationMs / 1000).toFixed(1);
  return `${parts.join(', ')} (${plural(report.requests, 'registry request')} in ${seconds} s)`;
}

function where(server: ServerUpdates): string {
  return server.location ? `${plain(server.location.file)}:${server.location.line}` : '';
}

function heading(server: ServerUpdates): string {
  const what = server.skipped && !server.identifier ? '' : `${server.kind} ${plain(server.identifier)}`;
  const envs = server.environments.map((e) => plain(e)).join(', ');
  return [plain(server.server), what, envs ? `(${envs})` : '', where(server)].filter(Boolean).join('  ');
}

function day(iso: string | undefined): string {
  return iso ? ` (published ${iso.slice(0, 10)})` : '';
}

export function renderServerText(server: ServerUpdates): string[] {
  const rows: [string, string][] = [];
  if (server.current) rows.push(['current', plain(server.current)]);
  if (server.skipped) rows.push(['skipped', plain(server.skipped)]);
  if (server.error) rows.push(['error', plain(server.error)]);
  if (server.proposed)
    rows.push(['proposed', `${plain(server.proposed.pin)}${day(server.proposed.publishedAt)}`]);
  else if (!server.skipped && !server.error) rows.push(['proposed', 'none: up to date with the policy']);
  const others = server.allowed.slice(1).map((r) => plain(r.version));
  if (others.length > 0) rows.push(['allowed', others.join(', ')]);
  for (const held of server.held.slice(0, MAX_HELD_SHOWN)) {
    rows.push(['held', `${plain(held.version)}  ${held.reason}: ${plain(held.detail)}`]);
  }
  if (server.held.length > MAX_HELD_SHOWN) {
    rows.push(['held', `… and ${server.held.length - MAX_HELD_SHOWN} older (--format json lists every one)`]);
  }
  for (const warning of server.warnings ?? []) rows.push(['warning', plain(warning)]);
  return [heading(server), ...rows.map(([k, v]) => `  ${k.padEnd(9)} ${v}`)];
}

export function renderUpdatesText(report: UpdatesReport): string {
  const revision = report.revision === 'worktree' ? 'the working tree' : report.revision.slice(0, 12);
  const lines = [`Updates for the config at ${revision}, checked ${report.checkedAt}`, ''];
  if (report.servers.length === 0) lines.push('no server with a package is deployed by any environment', '');
  for (const server of report.servers) lines.push(...renderServerText(server), '');
  lines.push(summaryText(report));
  return redactor.redact(`${lines.join('\n')}\n`);
}

export function renderUpdatesJson(report: UpdatesReport): string {
  const data = {
    apiVersion: UPDATES_API_VERSION,
    kind: 'UpdatesReport',
    revision: report.revision,
    checkedAt: report.checkedAt,
    summary: summarize(report),
    requests: report.requests,
    durationMs: report.durationMs,
    servers: report.servers,
  };
  return redactor.redact(`${JSON.stringify(data, null, 2)}\n`);
}
