/**
 * Which machines a rollout's open wave covers (issue 15, progressive rollout). Pure: the order is
 * sha256(machineId + digest), so every release shuffles the fleet anew (the same laptops are not
 * always the canaries) and the hub needs to store no per-machine assignment; wave i covers the
 * first ceil(waves[i] × N) of the N machines the target's selector matches.
 */
import * as crypto from 'node:crypto';

/**
 * sha256(machineId + digest), remembered per digest: every bundle pull asks for the order of the
 * whole fleet, and hashing it anew each time made a check-in cost O(fleet) hashes. Only the first
 * 16 hex digits are kept (ties, astronomically rare, fall back to the id). Bounded: past a few
 * digests the oldest digest's memo is dropped.
 */
interface OrderMemo {
  keys: Map<string, string>;
  /** The ids of the last call, as given, and their order: the same fleet again is not re-sorted. */
  lastIds?: string[];
  lastOrder?: string[];
}

const orderMemos = new Map<string, OrderMemo>();
const DIGESTS_KEPT = 8;

function memoFor(digest: string): OrderMemo {
  let memo = orderMemos.get(digest);
  if (!memo) {
    const oldest = orderMemos.keys().next();
    if (orderMemos.size >= DIGESTS_KEPT && !oldest.done) orderMemos.delete(oldest.value);
    memo = { keys: new Map() };
    orderMemos.set(digest, memo);
  }
  return memo;
}

/** Machine ids in rollout order for `digest`: ascending sha256(machineId + digest), ties by id. */
export function rolloutOrder(machineIds: Iterable<string>, digest: string): string[] {
  const memo = memoFor(digest);
  const ids = [...machineIds];
  const last = memo.lastIds;
  if (memo.lastOrder && last?.length === ids.length && ids.every((id, i) => id === last[i]))
    return [...memo.lastOrder];
  const keyed = [...new Set(ids)].map((id) => {
    let key = memo.keys.get(id);
    if (key === undefined) {
      key = crypto
        .createHash('sha256')
        .update(id + digest)
        .digest('hex')
        .slice(0, 16);
      memo.keys.set(id, key);
    }
    return { id, key };
  });
  keyed.sort((a, b) => compare(a.key, b.key) || compare(a.id, b.id));
  memo.lastIds = ids;
  memo.lastOrder = keyed.map((k) => k.id);
  return [...memo.lastOrder];
}

/**
 * How many of `total` machines a wave of `fraction` covers: ceil(fraction × total), computed so
 * that float noise (0.05 × 20 = 1.0000000000000002) does not add a machine; at least one machine
 * when there are any, never more than all.
 */
export function waveSize(fraction: number, total: number): number {
  if (total <= 0) return 0;
  const exact = Math.round(fraction * total * 1e9) / 1e9;
  return Math.min(total, Math.max(1, Math.ceil(exact)));
}

/** The machines waves 0..`wave` cover (cumulative: a later wave includes every earlier one). */
export function waveMembers(
  machineIds: Iterable<string>,
  digest: string,
  waves: readonly number[],
  wave: number,
): Set<string> {
  const order = rolloutOrder(machineIds, digest);
  const fraction = waves[Math.min(Math.max(wave, 0), waves.length - 1)] ?? 1;
  return new Set(order.slice(0, waveSize(fraction, order.length)));
}

/** `wave 1 (25%)`: how status and commit messages name a wave. */
export function waveLabel(waves: readonly number[], wave: number): string {
  const fraction = waves[wave] ?? 1;
  return `wave ${wave} (${formatPercent(fraction)})`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 10_000) / 100}%`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
