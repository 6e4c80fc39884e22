/**
 * The fleet aggregates committed at a revision (`reports/<env>/fleet/<target>.json`), for
 * `status`. Report readers match `reports/<env>/<target>.json` only, one level up, so these files
 * are never taken for target reports (nor for retired targets).
 */
import type { GitRepo } from '../../git/types.js';
import type { FleetAggregate } from './aggregate.js';
import { parseAggregate } from './render.js';

export async function readAggregatesAt(
  repo: GitRepo,
  rev: string,
  reportsDir: string,
  environment?: string,
): Promise<FleetAggregate[]> {
  const dir = reportsDir.replace(/\/+$/, '');
  const out: FleetAggregate[] = [];
  for (const file of (await repo.listFilesAt(rev, dir)).sort()) {
    const m = /^([^/]+)\/fleet\/[^/]+\.json$/.exec(file.slice(dir.length + 1));
    if (!m || (environment !== undefined && m[1] !== environment)) continue;
    const text = await repo.readFileAt(rev, file);
    if (text !== undefined) out.push(parseAggregate(text, file));
  }
  return out;
}
