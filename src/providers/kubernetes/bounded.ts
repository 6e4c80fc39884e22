/**
 * At most `limit` tasks in flight, started in the order they were queued. The kubernetes batch
 * (kube-batch.ts) runs one target's changes through it: a few requests at a time to the API
 * server instead of one server after another, without opening hundreds of streams at once.
 */
export type Bounded = <T>(task: () => Promise<T>) => Promise<T>;

export function bounded(limit: number): Bounded {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so a task queued meanwhile
  // cannot take it too.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
