/**
 * The committed reports of a checkout as the UI reads them: every `<reports>/<env>/<target>.json`
 * parsed once and kept until its file's mtime or size changes, so a page for 1,000 servers reads
 * each report at most once per change, never once per row. A file that is not a TargetReport is
 * named in `unreadable`, not shown. Fleet aggregates are read by the fleet section's own reader.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TargetReport } from '../core/report.js';
import { type FleetRows, readFleetRows } from '../serve/fleet-section.js';

export interface ReportSet {
  /** Sorted by environment, then target. */
  reports: TargetReport[];
  /** Environments with a folder under the reports root, sorted. */
  environments: string[];
  fleet: FleetRows;
  /** Report files (relative to the reports root) that could not be read as reports. */
  unreadable: string[];
}

interface Cached {
  mtimeMs: number;
  size: number;
  report: TargetReport | undefined;
}

export class ReportReader {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly root: () => string) {}

  read(): ReportSet {
    const root = this.root();
    const environments = listDirs(root);
    const reports: TargetReport[] = [];
    const unreadable: string[] = [];
    const seen = new Set<string>();
    for (const env of environments) {
      for (const file of listJson(path.join(root, env))) {
        const full = path.join(root, env, file);
        seen.add(full);
        const report = this.load(full, env, file.replace(/\.json$/, ''));
        if (report) reports.push(report);
        else unreadable.push(`${env}/${file}`);
      }
    }
    for (const key of this.cache.keys()) if (!seen.has(key)) this.cache.delete(key);
    return { reports, environments, fleet: readFleetRows(root, environments), unreadable };
  }

  private load(file: string, environment: string, target: string): TargetReport | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.report;
    const report = parseReport(file, environment, target);
    this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, report });
    return report;
  }
}

/**
 * A TargetReport when the file holds one, else undefined. Its place (`<env>/<target>.json`) names
 * it, as it does for the engine; lists a view walks are made lists when missing.
 */
export function asReport(value: unknown, environment: string, target: string): TargetReport | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Partial<TargetReport>;
  if (r.kind !== undefined && r.kind !== 'TargetReport') return undefined;
  return {
    ...(r as TargetReport),
    environment,
    target,
    provider: typeof r.provider === 'string' ? r.provider : '',
    host: typeof r.host === 'string' ? r.host : '',
    revision: typeof r.revision === 'object' && r.revision !== null ? r.revision : {},
    conditions: Array.isArray(r.conditions) ? r.conditions : [],
    inventory: Array.isArray(r.inventory) ? r.inventory : [],
    drift: Array.isArray(r.drift) ? r.drift : [],
    lastApply: Array.isArray(r.lastApply) ? r.lastApply : [],
    runs: Array.isArray(r.runs) ? r.runs : [],
  };
}

function parseReport(file: string, environment: string, target: string): TargetReport | undefined {
  try {
    return asReport(JSON.parse(fs.readFileSync(file, 'utf8')), environment, target);
  } catch {
    return undefined;
  }
}

function listDirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

function listJson(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith('.json'))
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}
