/**
 * How the fleet e2e test looks at the hub: the machine records serve flushes to
 * `<state>/fleet/machines.json` (cheap enough to poll while waiting), the per-target aggregate
 * committed to the remote (`reports/dev/fleet/laptops.json`), bounded waits, and a scan of a
 * directory tree for a canary secret.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FleetAggregate } from '../../../src/fleet/aggregate/aggregate.js';
import type { AgentTargetReport } from '../../../src/fleet/protocol.js';
import type { MachineRecord } from '../../../src/fleet/rollout/types.js';
import type { ConfigRemote } from '../../remote/config-remote.js';

export const TARGET = 'laptops';

/** Machine records as serve last flushed them ([] before the first enrolment). */
export function readMachineRecords(hubStateDir: string): MachineRecord[] {
  const file = path.join(hubStateDir, 'fleet', 'machines.json');
  if (!fs.existsSync(file)) return [];
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { machines?: MachineRecord[] };
    return Array.isArray(data.machines) ? data.machines : [];
  } catch {
    return []; // read while being replaced: the next poll sees it whole
  }
}

/** Each machine's last report for the fleet target, by machine id. */
export function lastReports(records: MachineRecord[]): Map<string, AgentTargetReport | undefined> {
  return new Map(records.map((m) => [m.machineId, m.targets?.[TARGET]]));
}

/** Short text of who reports what, for failure messages. */
export function describeReports(records: MachineRecord[]): string {
  return records
    .map((m) => {
      const r = m.targets?.[TARGET];
      return `${m.machineId.slice(0, 12)} ${r ? `${r.state} ${r.digest.slice(0, 10)}` : 'no report'}`;
    })
    .join('; ');
}

/** The aggregate committed to the remote's main, or undefined when there is none yet. */
export function remoteAggregate(remote: ConfigRemote): FleetAggregate | undefined {
  try {
    return JSON.parse(remote.remoteGit('show', `main:reports/dev/fleet/${TARGET}.json`)) as FleetAggregate;
  } catch {
    return undefined;
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  explain: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${explain()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Files under `dir` (recursively) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try {
          if (fs.readFileSync(p).includes(bytes)) found.push(p);
        } catch {
          // removed while walking
        }
      }
    }
  };
  walk(dir);
  return found;
}

/** Run `fn` over `items` with at most `limit` at a time (2 cores shared: keep CLI starts few). */
export async function inPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
