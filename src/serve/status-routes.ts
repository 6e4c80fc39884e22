/**
 * `/healthz` (the process answers), `/readyz` (the cache checkout is there and a sync succeeded)
 * and `/` (a small HTML page from the committed reports and the last reconciles, with the fleet's
 * counts and rollouts, tool surfaces that differ from their locks and quarantined servers).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sendText } from './create-serve-app.js';
import { fleetSection, readFleetRows } from './fleet-section.js';
import type { LeadershipStatus } from './leader/serve-leadership.js';
import {
  type ToolSurfaceReport,
  type ToolSurfaceRow,
  toolSurfaceRows,
  toolSurfaceSection,
} from './tool-surface-section.js';
import type { ReconcileEvent, Route } from './types.js';

export interface StatusSource {
  ready(): boolean;
  /** The folder the reports are committed in, inside the checkout. */
  reportsRoot(): string;
  recent(): readonly ReconcileEvent[];
  remote: string;
  branch: string;
  /** `--leader-elect`: this replica's role and the leader. */
  leadership?: () => LeadershipStatus | undefined;
}

export function statusRoutes(source: StatusSource): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendText(res, 200, 'ok\n') },
    {
      method: 'GET',
      path: '/readyz',
      handle: (_req, res) =>
        source.ready()
          ? sendText(res, 200, 'ready\n')
          : sendText(res, 503, 'not ready: no synced checkout yet\n'),
    },
    {
      method: 'GET',
      path: '/',
      handle: (_req, res) => sendText(res, 200, statusPage(source), 'text/html; charset=utf-8'),
    },
  ];
}

interface ReportLike extends ToolSurfaceReport {
  revision?: { applied?: string; attempted?: string };
  suspended?: { reason?: string };
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  inventory?: {
    server: string;
    version?: string;
    health?: string;
    healthReason?: string;
    restarts?: number;
    toolCount?: number;
  }[];
}

function statusPage(source: StatusSource): string {
  const rows: string[] = [];
  const servers: string[] = [];
  const surfaces: ToolSurfaceRow[] = [];
  const root = source.reportsRoot();
  for (const env of listDirs(root)) {
    for (const file of listFiles(path.join(root, env)).filter((f) => f.endsWith('.json'))) {
      const report = readJson(path.join(root, env, file));
      const ready = report?.conditions?.find((c) => c.type === 'Ready');
      const stalled = report?.conditions?.find((c) => c.type === 'Stalled' && c.status === 'True');
      const state = stalled
        ? 'Stalled'
        : report?.suspended
          ? 'Suspended'
          : ready?.status === 'True'
            ? 'Ready'
            : 'Not ready';
      rows.push(
        `<tr><td>${esc(env)}</td><td>${esc(file.replace(/\.json$/, ''))}</td><td>${esc(state)}</td><td>${esc(stalled?.reason ?? ready?.reason ?? '')}</td><td><code>${esc((report?.revision?.applied ?? '').slice(0, 12))}</code></td></tr>`,
      );
      if (report) surfaces.push(...toolSurfaceRows(env, file.replace(/\.json$/, ''), report));
      for (const e of report?.inventory ?? [])
        servers.push(
          `<tr><td>${esc(env)}</td><td>${esc(file.replace(/\.json$/, ''))}</td><td>${esc(e.server)}</td><td>${esc(e.version ?? '')}</td><td class="${esc(e.health ?? 'unknown')}">${esc(e.health ?? 'unknown')}</td><td>${esc(e.healthReason ?? '')}</td><td>${e.restarts ?? ''}</td><td>${e.toolCount ?? ''}</td></tr>`,
        );
    }
  }
  const runs = [...source.recent()]
    .reverse()
    .map(
      (e) =>
        `<tr><td>${esc(new Date(e.finishedAt).toISOString())}</td><td>${esc(e.environment)}</td><td>${esc(e.trigger)}</td><td>${e.error ? 'error' : e.result?.failed ? 'failed' : 'ok'}</td><td><code>${esc((e.revision ?? '').slice(0, 12))}</code></td><td>${e.durationSeconds.toFixed(2)} s</td></tr>`,
    );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>mcp-gitops</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.healthy{color:#1a7f37}.unhealthy{color:#cf222e;font-weight:bold}.starting{color:#9a6700}</style>
</head><body>
<h1>mcp-gitops</h1>
<p>Tracking <code>${esc(source.remote)}</code> branch <code>${esc(source.branch)}</code>${source.ready() ? '' : ' (not synced yet)'}.</p>
${leadershipLine(source.leadership?.())}
<h2>Targets</h2>
<table><tr><th>Environment</th><th>Target</th><th>State</th><th>Reason</th><th>Applied revision</th></tr>
${rows.join('\n') || '<tr><td colspan="5">no reports yet</td></tr>'}
</table>
<h2>Servers</h2>
<table><tr><th>Environment</th><th>Target</th><th>Server</th><th>Version</th><th>Health</th><th>Why</th><th>Restarts</th><th>Tools</th></tr>
${servers.join('\n') || '<tr><td colspan="8">no servers yet</td></tr>'}
</table>
${fleetSection(readFleetRows(root, listDirs(root)), esc)}
${toolSurfaceSection(surfaces, esc)}
<h2>Recent reconciles</h2>
<table><tr><th>Finished</th><th>Environment</th><th>Trigger</th><th>Result</th><th>Revision</th><th>Took</th></tr>
${runs.join('\n') || '<tr><td colspan="6">none yet</td></tr>'}
</table>
</body></html>
`;
}

function leadershipLine(l: LeadershipStatus | undefined): string {
  if (!l) return '';
  const shard = l.shard ? `, shard <code>${esc(l.shard)}</code>` : '';
  return `<p id="leadership">Role: <b data-role="${l.role}">${l.role}</b> (this replica <code>${esc(l.identity)}</code>); leader: <code data-leader>${esc(l.leader)}</code>; Lease <code>${esc(l.lease)}</code>${shard}.</p>`;
}

function listDirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

function listFiles(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function readJson(file: string): ReportLike | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ReportLike;
  } catch {
    return undefined;
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
