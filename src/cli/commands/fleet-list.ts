/**
 * What `fleet list` shows (pure): one row per enrolled machine with its last check-in, and each
 * fleet target's reported state and digest. Filters: `--env`, `--drifted` (a target drifted),
 * `--stale` (not seen for the stale period). Hostnames, users and labels came from the machines
 * and are shown escaped and cut short.
 */
import { isStale } from '../../fleet/rollout/fleet-machines.js';
import type { MachineRecord } from '../../fleet/rollout/types.js';
import { safeText } from '../../surface/render-safe.js';

export interface ListFilter {
  env?: string;
  drifted?: boolean;
  stale?: boolean;
  staleAfterMs: number;
  now: number;
}

export interface MachineRow {
  machineId: string;
  hostname: string;
  environment: string;
  labels: Record<string, string>;
  /** ISO time, or null when never seen. */
  lastSeen: string | null;
  stale: boolean;
  revoked: boolean;
  targets: {
    target: string;
    state: string;
    digest: string;
    reportedAt: string;
    /** Servers not healthy when last verified, and managed entries found hand-edited. */
    unhealthy: string[];
    drifted: string[];
  }[];
}

export function machineRows(
  machines: MachineRecord[],
  revoked: ReadonlySet<string>,
  f: ListFilter,
): MachineRow[] {
  return machines
    .filter((m) => f.env === undefined || m.environment === f.env)
    .map((m): MachineRow => {
      return {
        machineId: m.machineId,
        hostname: m.facts.hostname,
        environment: m.environment,
        labels: m.labels,
        lastSeen: m.lastSeen === undefined ? null : new Date(m.lastSeen).toISOString(),
        stale: isStale(m, f.now, f.staleAfterMs),
        revoked: revoked.has(m.machineId) || m.revokedAt !== undefined,
        targets: Object.entries(m.targets)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([target, t]) => ({
            target,
            state: t.state,
            digest: t.digest,
            reportedAt: new Date(t.reportedAt).toISOString(),
            unhealthy: t.servers.filter((x) => x.health !== 'healthy').map((x) => x.name),
            drifted: t.drift.map((d) => d.server),
          })),
      };
    })
    .filter((r) => !f.drifted || r.targets.some((t) => t.state === 'drifted'))
    .filter((r) => !f.stale || r.stale)
    .sort((a, b) =>
      a.environment === b.environment
        ? a.machineId < b.machineId
          ? -1
          : 1
        : a.environment < b.environment
          ? -1
          : 1,
    );
}

/** `42s ago`, `5m ago`, `3h ago`, `2d ago`. */
export function age(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** ` (drift: a, b; unhealthy: c)` when there is any, server names escaped. */
function detail(t: MachineRow['targets'][number]): string {
  const names = (list: string[]) => safeText(list.join(', '), 120);
  const parts = [
    ...(t.drifted.length > 0 ? [`drift: ${names(t.drifted)}`] : []),
    ...(t.unhealthy.length > 0 ? [`unhealthy: ${names(t.unhealthy)}`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

export function renderMachineRows(rows: MachineRow[], now: number): string {
  if (rows.length === 0) return 'No machines match.\n';
  const table = rows.map((r) => [
    r.machineId,
    safeText(r.hostname, 40),
    r.environment,
    safeText(
      Object.entries(r.labels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      80,
    ),
    r.revoked ? 'revoked' : `${age(r.lastSeen, now)}${r.stale ? ' (stale)' : ''}`,
    r.targets.length === 0
      ? '-'
      : r.targets
          .map(
            (t) => `${safeText(t.target, 64)}: ${t.state} ${safeText(t.digest, 64).slice(0, 12)}${detail(t)}`,
          )
          .join('; '),
  ]);
  const head = ['MACHINE', 'HOSTNAME', 'ENV', 'LABELS', 'LAST SEEN', 'TARGETS'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...table.map(line)].join('\n')}\n`;
}
