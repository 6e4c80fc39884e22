/**
 * A server's health as git recorded it: its entry in `<reports>/<env>/<target>.json` at each of
 * the reconciler's report commits for that environment (newest first), consecutive equal
 * readings merged, so the server page shows when it turned unhealthy, why, and its restarts —
 * in `ui` and the static export too, where no process watched it happen. Commits never change, so
 * each file version read is kept (bounded).
 */
import * as fs from 'node:fs';
import type { InventoryEntry, TargetReport } from '../core/report.js';
import type { Health } from '../core/state.js';
import { git } from '../git/iso-git.js';
import type { RunCommit } from './read-history.js';

export interface RecordedHealth {
  /** The oldest report commit of the streak that recorded it: since when it was so. */
  commit: string;
  time: string;
  health: Health | 'absent';
  reason?: string;
  restarts?: number;
}

const KEEP = 5000;

export class HealthHistoryReader {
  private readonly blobs = new Map<string, Map<string, InventoryEntry> | undefined>();

  constructor(private readonly checkout: () => string) {}

  /** At most `limit` readings from the newest `depth` report commits of the environment. */
  async read(
    runs: readonly RunCommit[],
    reportsDir: string,
    key: { environment: string; target: string; server: string },
    depth = 50,
  ): Promise<RecordedHealth[]> {
    const file = `${reportsDir}/${key.environment}/${key.target}.json`;
    const out: RecordedHealth[] = [];
    const mine = runs
      .filter((r) => r.environment === key.environment || r.environment === '*')
      .slice(0, depth);
    for (const run of mine) {
      const inventory = await this.inventoryAt(run.oid, file);
      if (inventory === undefined) continue;
      const e = inventory.get(key.server);
      const reading: RecordedHealth = {
        commit: run.oid,
        time: run.time,
        health: e ? e.health : 'absent',
        ...(e?.healthReason ? { reason: e.healthReason } : {}),
        ...(e?.restarts !== undefined ? { restarts: e.restarts } : {}),
      };
      const last = out.at(-1);
      // Newest first: an older equal reading only moves "since" back.
      if (
        last &&
        last.health === reading.health &&
        last.reason === reading.reason &&
        last.restarts === reading.restarts
      )
        out[out.length - 1] = { ...last, commit: reading.commit, time: reading.time };
      else out.push(reading);
    }
    return out;
  }

  /** The report's inventory by server at a commit (undefined: no such report there). */
  private async inventoryAt(commit: string, file: string): Promise<Map<string, InventoryEntry> | undefined> {
    const key = `${commit}:${file}`;
    if (this.blobs.has(key)) return this.blobs.get(key);
    let inventory: Map<string, InventoryEntry> | undefined;
    try {
      const { blob } = await git.readBlob({ fs, dir: this.checkout(), oid: commit, filepath: file });
      const parsed = JSON.parse(Buffer.from(blob).toString('utf8')) as Partial<TargetReport>;
      inventory = new Map(
        (Array.isArray(parsed.inventory) ? parsed.inventory : []).map((e) => [e.server, e]),
      );
    } catch {
      inventory = undefined;
    }
    this.blobs.set(key, inventory);
    if (this.blobs.size > KEEP) this.blobs.delete(this.blobs.keys().next().value as string);
    return inventory;
  }
}
