/**
 * What the Markdown report templates see: plain strings and lists prepared from TargetReports,
 * already escaped for table cells, so the templates stay free of logic.
 */
import type { Condition, TargetReport } from '../core/report.js';

export interface TargetView {
  target: string;
  provider: string;
  host: string;
  status: string;
  statusMessage: string;
  /** For a target removed from the repo: `settings read from config revision abc1234; sync.prune is false`. */
  retired: string;
  servers: number;
  healthy: number;
  revision: string;
  conditions: { type: string; status: string; reason: string; message: string }[];
  facts: { key: string; value: string }[];
  inventory: {
    server: string;
    version: string;
    transport: string;
    health: string;
    tools: string;
    /** Negotiated protocol revision, `-` when never verified. */
    protocol: string;
    specHash: string;
    endpoint: string;
  }[];
  drift: { server: string; paths: string }[];
  /** Plaintext secrets in entries mcp-gitops does not manage (never the value); empty when none. */
  findings: { file: string; client: string; entry: string; path: string; reason: string }[];
  lastApply: { server: string; action: string; outcome: string; message: string }[];
  runs: { revision: string; result: string; changed: number; failed: number; drifted: number }[];
}

export interface EnvironmentView {
  environment: string;
  targets: TargetView[];
  ready: number;
  stalled: number;
  /** `2 targets: 1 ready, 1 stalled.` (`, 2 suspended` when any are). */
  summary: string;
  /** Empty unless the environment is suspended: what that means, and its reason. */
  suspended: string;
  /** Health of every server on every target: one row per server, one cell per target. */
  healthHeader: string;
  healthDivider: string;
  healthRows: string[];
}

export function targetView(report: TargetReport): TargetView {
  const ready = find(report.conditions, 'Ready');
  const stalled = find(report.conditions, 'Stalled');
  const status =
    stalled?.status === 'True'
      ? 'Stalled'
      : report.retired
        ? 'Retired'
        : report.suspended
          ? 'Suspended'
          : ready?.status === 'True'
            ? 'Ready'
            : 'Not ready';
  return {
    target: report.target,
    provider: report.provider,
    host: cell(report.host),
    status,
    retired: report.retired
      ? cell(
          `${report.retired.environmentRemoved ? 'its environment was removed too; ' : ''}` +
            `settings read from config revision ${short(report.retired.revision)}; sync.prune is ${report.retired.prune}`,
        )
      : '',
    statusMessage: cell((status === 'Stalled' ? stalled?.message : ready?.message) ?? ''),
    servers: report.inventory.length,
    healthy: report.inventory.filter((e) => e.health === 'healthy').length,
    revision: short(report.revision.applied),
    conditions: report.conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: cell(c.message),
    })),
    facts: Object.entries(report.facts ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ key: cell(key), value: cell(value) })),
    inventory: report.inventory.map((e) => ({
      server: e.server,
      version: cell(e.version ?? '-'),
      transport: e.transport,
      health: e.health,
      tools: e.toolCount === undefined ? '-' : String(e.toolCount),
      protocol: cell(e.protocol?.protocolVersion ?? '-'),
      specHash: e.specHash.slice(0, 12),
      endpoint: cell(e.endpoint ?? '-'),
    })),
    drift: report.drift.map((d) => ({
      server: d.server,
      paths: d.paths.map((p) => `\`${cell(p)}\``).join(', '),
    })),
    findings: (report.findings ?? []).map((f) => ({
      file: cell(f.file),
      client: cell(f.client),
      entry: cell(f.entry),
      path: cell(f.path),
      reason: cell(f.reason),
    })),
    lastApply: report.lastApply.map((r) => ({
      server: r.server,
      action: r.action,
      outcome: r.outcome,
      message: cell(r.message ?? ''),
    })),
    runs: report.runs.map((r) => ({ ...r, revision: short(r.revision) })),
  };
}

export function environmentView(environment: string, reports: readonly TargetReport[]): EnvironmentView {
  const sorted = [...reports].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const targets = sorted.map(targetView);
  const servers = [...new Set(sorted.flatMap((r) => r.inventory.map((e) => e.server)))].sort();
  // Each target's health by server, looked up per row (a find per cell was quadratic in servers).
  const health = sorted.map((r) => new Map(r.inventory.map((e) => [e.server, e.health])));
  const healthRows = servers.map((server) => {
    const cells = health.map((h) => h.get(server) ?? '-');
    return `| ${server} | ${cells.join(' | ')} |`;
  });
  const ready = targets.filter((t) => t.status === 'Ready').length;
  const stalled = targets.filter((t) => t.status === 'Stalled').length;
  const suspended = targets.filter((t) => t.status === 'Suspended').length;
  const mark = sorted.find((r) => r.suspended)?.suspended;
  return {
    environment,
    targets,
    ready,
    stalled,
    summary:
      `${targets.length} target${targets.length === 1 ? '' : 's'}: ${ready} ready, ${stalled} stalled` +
      `${suspended > 0 ? `, ${suspended} suspended` : ''}.`,
    suspended: mark
      ? cell(
          `Nothing is applied to this environment (sync.suspend)${mark.reason ? `: ${mark.reason}` : ''}. ` +
            `Drift and held changes are still reported; \`mcp-gitops resume --env ${environment}\` ends the suspension.`,
        )
      : '',
    healthHeader: `| Server | ${sorted.map((r) => r.target).join(' | ')} |`,
    healthDivider: `| --- |${sorted.map(() => ' --- |').join('')}`,
    healthRows,
  };
}

function find(conditions: readonly Condition[], type: Condition['type']): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

function short(revision: string | undefined): string {
  return revision ? revision.slice(0, 7) : '-';
}

/** Safe inside a Markdown table cell: no pipes, no line breaks, no raw HTML. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
