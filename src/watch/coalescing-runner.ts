/**
 * Runs requested work one batch at a time. Requests made while a batch runs are merged into the
 * next batch, so a burst of saves or commits costs at most the running batch plus one more.
 */
export interface CoalescingRunner<K> {
  request(...kinds: K[]): void;
  /** Resolves when nothing is running or pending. */
  idle(): Promise<void>;
}

export function coalescingRunner<K>(
  run: (batch: ReadonlySet<K>) => Promise<void>,
  onError: (err: unknown) => void,
): CoalescingRunner<K> {
  let pending = new Set<K>();
  let active: Promise<void> | undefined;
  const pump = async () => {
    while (pending.size > 0) {
      const batch = pending;
      pending = new Set();
      await run(batch).catch(onError);
    }
    active = undefined;
  };
  return {
    request(...kinds) {
      for (const k of kinds) pending.add(k);
      if (!active && pending.size > 0) active = pump();
    },
    idle: () => active ?? Promise.resolve(),
  };
}
