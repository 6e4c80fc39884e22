/**
 * A fleet aggregate as the file committed at `reports/<env>/fleet/<target>.json` (stable key
 * order, so the same counts are the same bytes), its one-line summary for commit messages and
 * `status`, and the reader `status` uses. The folder sits beside the target reports
 * (`reports/<env>/<target>.json`), one level deeper, where report readers do not look.
 */
import { stableJson } from '../../core/canonical-json.js';
import { McpGitopsError } from '../../core/errors.js';
import { formatPercent, waveLabel } from '../rollout/waves.js';
import type { FleetAggregate } from './aggregate.js';

export const AGGREGATE_SCHEMA = 'mcp-gitops/fleet-aggregate/v1';

/** The folder of an environment's aggregates, `reports/dev/fleet`. */
export function aggregateDir(reportsDir: string, environment: string): string {
  return `${reportsDir.replace(/\/+$/, '')}/${environment}/fleet`;
}

export function aggregatePath(reportsDir: string, environment: string, target: string): string {
  return `${aggregateDir(reportsDir, environment)}/${target}.json`;
}

export function renderAggregate(a: FleetAggregate): string {
  return stableJson({ schema: AGGREGATE_SCHEMA, ...a });
}

/** `laptops 19 in sync, 0 drifted, 1 failing, 0 stale` (plus pending and the rollout when they say something). */
export function summarize(a: FleetAggregate): string {
  const parts = [
    `${a.target} ${a.inSync} in sync, ${a.drifted} drifted, ${a.failing} failing, ${a.stale} stale`,
  ];
  if (a.pending > 0) parts[0] += `, ${a.pending} pending`;
  if (a.rollout.state === 'halted') parts.push(`rollout halted: ${a.rollout.reason ?? 'no reason recorded'}`);
  else if (a.rollout.state === 'progressing')
    parts.push(
      `rollout at ${waveLabel(a.rollout.waves, a.rollout.wave)} of ${a.rollout.waves.map(formatPercent).join(', ')}`,
    );
  return parts.join('; ');
}

const COUNTS = ['machines', 'inSync', 'drifted', 'failing', 'stale', 'pending'] as const;

/** Parse a committed aggregate; a file of another shape is an error naming it. */
export function parseAggregate(text: string, file: string): FleetAggregate {
  const bad = (why: string) =>
    new McpGitopsError('ERR_IO', `${file}: not a fleet aggregate (${why})`, {
      hint: 'files under reports/<env>/fleet/ are written by the fleet hub; restore it from git history or delete it',
    });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const a = data as Partial<FleetAggregate> & { schema?: unknown };
  if (a === null || typeof a !== 'object' || a.schema !== AGGREGATE_SCHEMA)
    throw bad(`schema is not ${AGGREGATE_SCHEMA}`);
  if (typeof a.environment !== 'string' || typeof a.target !== 'string')
    throw bad('environment or target missing');
  for (const k of COUNTS) if (typeof a[k] !== 'number') throw bad(`${k} is not a number`);
  const r = a.rollout;
  if (!r || typeof r.state !== 'string' || typeof r.wave !== 'number' || !Array.isArray(r.waves))
    throw bad('rollout missing');
  if (a.byDigest === null || typeof a.byDigest !== 'object') throw bad('byDigest missing');
  const { schema: _schema, ...rest } = a;
  return rest as FleetAggregate;
}
