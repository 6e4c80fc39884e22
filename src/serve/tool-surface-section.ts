/**
 * The status page's "Tool surfaces" section: servers whose tool surface differs from the reviewed
 * lock (`ToolsChanged`, under `health.tools: warn`) and servers quarantined by `pin` (off the
 * target, so only the report's last apply results know them). Everything comes from committed
 * reports, which hold tool names only (made printable when they were recorded), and is escaped.
 */

export interface ToolSurfaceReport {
  inventory?: { server: string; toolsChanged?: string[] }[];
  lastApply?: { server: string; quarantined?: boolean; message?: string }[];
}

export interface ToolSurfaceRow {
  environment: string;
  target: string;
  server: string;
  state: 'quarantined' | 'tools changed';
  detail: string;
}

export function toolSurfaceRows(
  environment: string,
  target: string,
  report: ToolSurfaceReport,
): ToolSurfaceRow[] {
  const rows: ToolSurfaceRow[] = [];
  for (const r of report.lastApply ?? [])
    if (r.quarantined)
      rows.push({ environment, target, server: r.server, state: 'quarantined', detail: r.message ?? '' });
  for (const e of report.inventory ?? [])
    if (e.toolsChanged?.length)
      rows.push({
        environment,
        target,
        server: e.server,
        state: 'tools changed',
        detail: `differs from the lock: ${e.toolsChanged.join(', ')}`,
      });
  return rows;
}

export function toolSurfaceSection(rows: readonly ToolSurfaceRow[], esc: (s: string) => string): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.environment)}</td><td>${esc(r.target)}</td><td>${esc(r.server)}</td><td class="${r.state === 'quarantined' ? 'unhealthy' : 'starting'}">${esc(r.state)}</td><td>${esc(r.detail)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Tool surfaces</h2>
<table><tr><th>Environment</th><th>Target</th><th>Server</th><th>State</th><th>Why</th></tr>
${body || '<tr><td colspan="5">every verified surface matches its lock (or is not pinned)</td></tr>'}
</table>`;
}
