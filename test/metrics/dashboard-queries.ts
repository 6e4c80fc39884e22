/** The PromQL of the committed Grafana dashboard, and the metric names an expression reads. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DASHBOARD = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dashboards/grafana-mcp-gitops.json',
);

export interface DashboardTarget {
  expr: string;
  datasource?: { type?: string; uid?: string };
}
export interface DashboardPanel {
  title: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
}
export interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: DashboardPanel[];
  templating: { list: { name: string; query: { query: string } | string; datasource?: { uid?: string } }[] };
}

export function readDashboard(): Dashboard {
  return JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;
}

/** Every panel query, with Grafana's variables replaced so Prometheus can run it. */
export function panelQueries(dashboard: Dashboard): { panel: string; expr: string; promql: string }[] {
  return dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      panel: p.title,
      expr: t.expr,
      promql: t.expr.replaceAll('$__rate_interval', '1m').replaceAll('$environment', '.*'),
    })),
  );
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
]);

/** Metric names an expression selects: identifiers that are not functions, keywords or labels. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = bare.slice((m.index ?? 0) + m[0].length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(m[0])) continue;
    names.push(m[0]);
  }
  return names;
}
