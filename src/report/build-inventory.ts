/**
 * What is on the target after a run, one entry per server sorted by name: the desired spec where
 * it was applied or already in sync, the previous spec where a change failed or was left alone,
 * nothing where a create failed or a delete succeeded. Health and tool facts (count, hashes, the
 * surface's names and fingerprints, the protocol revision) come from this run's verification, else
 * what the provider observed, else the previous report for the same spec hash (so an unverified,
 * unchanged server keeps its last known facts and the report does not churn).
 * A server its provider found down is unhealthy with the provider's reason, whatever was verified
 * before. `healthSince` is carried while the health stays the same. A quarantined server
 * (`health.tools: pin`) is not on the target, so it has no entry.
 */
import type { Change } from '../core/plan.js';
import type { ChangeResult, InventoryEntry, InventorySurface } from '../core/report.js';
import type { ServerSpec } from '../core/resources.js';
import type { Health } from '../core/state.js';
import type { ServerIdentity } from '../surface/types.js';

export interface ServerVerification {
  health: Health;
  toolCount?: number;
  toolsHash?: string;
  endpoint?: string;
  error?: string;
  /** What differs from the tool lock under `health.tools: warn` (names only). */
  toolsChanged?: string[];
  /** Names and fingerprints of what it listed (never descriptions). */
  surface?: InventorySurface;
  /** Protocol revision, handshake, serverInfo and capabilities it answered with. */
  protocol?: ServerIdentity;
}

export function buildInventory(input: {
  changes: readonly Change[];
  results: ReadonlyMap<string, ChangeResult>;
  verification: ReadonlyMap<string, ServerVerification>;
  previous: readonly InventoryEntry[];
  /** The config revision of this run (when health changes, `healthSince` becomes it). */
  revision?: string;
}): InventoryEntry[] {
  const previous = new Map(input.previous.map((e) => [e.server, e]));
  const entries: InventoryEntry[] = [];
  for (const change of input.changes) {
    const present = presentSpec(change, input.results.get(change.server));
    if (!present) continue;
    const verified = input.verification.get(change.server);
    const before = previous.get(change.server);
    const carried = before && before.specHash === present.hash ? before : undefined;
    const down = applied(input.results.get(change.server)) ? undefined : change.observed?.down;
    const health: Health = down
      ? 'unhealthy'
      : (verified?.health ?? change.observed?.health ?? carried?.health ?? 'unknown');
    const reason =
      health === 'healthy'
        ? undefined
        : (down ?? verified?.error ?? (verified ? undefined : carried?.healthReason));
    const same = carried && carried.health === health;
    entries.push(
      // In the committed file's key order (serialize-report.ts), so writing it copies nothing.
      compact({
        server: change.server,
        version: present.spec.package?.version,
        transport: present.spec.transport,
        specHash: present.hash,
        health,
        toolCount: verified?.toolCount ?? carried?.toolCount,
        toolsHash: verified?.toolsHash ?? carried?.toolsHash,
        surface: verified?.surface ?? carried?.surface,
        protocol: verified?.protocol ?? carried?.protocol,
        endpoint: verified?.endpoint ?? carried?.endpoint,
        healthReason: reason,
        healthSince: same ? (carried.healthSince ?? input.revision) : input.revision,
        restarts: change.observed?.restarts ?? (change.observed ? undefined : carried?.restarts),
        toolsChanged: verified ? verified.toolsChanged : carried?.toolsChanged,
      }),
    );
  }
  return entries.sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
}

function applied(result: ChangeResult | undefined): boolean {
  return result?.outcome === 'applied';
}

function presentSpec(
  change: Change,
  result: ChangeResult | undefined,
): { spec: ServerSpec; hash: string } | undefined {
  // Quarantined: taken off the target whatever the change was.
  if (result?.quarantined) return undefined;
  const applied = result?.outcome === 'applied';
  const desired = change.desired ? { spec: change.desired.spec, hash: change.desired.specHash } : undefined;
  const observed = change.observed?.spec
    ? { spec: change.observed.spec, hash: change.observed.specHash ?? change.desired?.specHash ?? '' }
    : undefined;
  if (change.action === 'delete') return applied ? undefined : observed;
  if (change.action === 'create') return applied ? desired : undefined;
  // Same spec on both sides (in sync, or drift): report the desired spec and hash.
  if (change.reason !== 'spec' || applied) return desired ?? observed;
  return observed ?? desired;
}

function compact(entry: InventoryEntry): InventoryEntry {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(entry)) {
    const v = (entry as unknown as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as InventoryEntry;
}
