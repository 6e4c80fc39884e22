/**
 * The status page's Fleet section: per fleet target, the counts the hub committed to
 * `reports/<env>/fleet/<target>.json` (machines in sync, drifted, failing, stale, pending) and its
 * rollout, a halted one with why. Read from the checkout like the target reports, so the page says
 * what git says; a file that is not a fleet aggregate is named, not shown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FleetAggregate } from '../fleet/aggregate/aggregate.js';
import { parseAggregate } from '../fleet/aggregate/render.js';
import { formatPercent, waveLabel } from '../fleet/rollout/waves.js';

export interface FleetRows {
  aggregates: FleetAggregate[];
  /** Files under `fleet/` that could not be read as aggregates (relative to the reports folder). */
  unreadable: string[];
}

/** Every `<env>/fleet/<target>.json` under the reports folder. */
export function readFleetRows(reportsRoot: string, envs: readonly string[]): FleetRows {
  const out: FleetRows = { aggregates: [], unreadable: [] };
  for (const env of envs) {
    const dir = path.join(reportsRoot, env, 'fleet');
    let files: string[];
    try {
      files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
    } catch {
      continue;
    }
    for (const file of files) {
      const rel = `${env}/fleet/${file}`;
      try {
        out.aggregates.push(parseAggregate(fs.readFileSync(path.join(dir, file), 'utf8'), rel));
      } catch {
        out.unreadable.push(rel);
      }
    }
  }
  return out;
}

export function fleetSection(rows: FleetRows, esc: (s: string) => string): string {
  if (rows.aggregates.length === 0 && rows.unreadable.length === 0) return '';
  const lines = rows.aggregates.map((a) => {
    const waves = a.rollout.waves.map(formatPercent).join(', ');
    const rollout =
      a.rollout.state === 'halted'
        ? `<span class="unhealthy">halted</span>: ${esc(a.rollout.reason ?? 'no reason recorded')}`
        : a.rollout.state === 'progressing'
          ? `progressing: ${esc(waveLabel(a.rollout.waves, a.rollout.wave))} open${a.rollout.reason ? ` (${esc(a.rollout.reason)})` : ''}`
          : 'complete';
    return `<tr><td>${esc(a.environment)}</td><td>${esc(a.target)}</td><td>${a.machines}</td><td class="healthy">${a.inSync}</td><td>${a.drifted}</td><td class="${a.failing > 0 ? 'unhealthy' : ''}">${a.failing}</td><td>${a.stale}</td><td>${a.pending}</td><td>${rollout} <small>(waves ${esc(waves)})</small></td></tr>`;
  });
  for (const file of rows.unreadable)
    lines.push(`<tr><td colspan="9">${esc(file)}: not a fleet aggregate</td></tr>`);
  return `<h2>Fleet</h2>
<table><tr><th>Environment</th><th>Target</th><th>Machines</th><th>In sync</th><th>Drifted</th><th>Failing</th><th>Stale</th><th>Pending</th><th>Rollout</th></tr>
${lines.join('\n')}
</table>`;
}
