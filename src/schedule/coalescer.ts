/**
 * Trigger coalescing (DESIGN.md §7): per key, one run at a time; requests that arrive while a run
 * is going are merged into ONE pending run that starts when the current one ends. A burst of N
 * requests therefore costs at most the running run plus one more, and the pending run sees the
 * newest request (`merge` decides what "newest" keeps, e.g. a push outranks a poll).
 */
export type RunFn<T> = (key: string, value: T) => Promise<void>;

export interface CoalescerOptions<T> {
  /** Combine a pending value with a newer request (default: keep the newer). */
  merge?: (pending: T, next: T) => T;
  /** Called when a run throws (runs should handle their own errors; this is the backstop). */
  onError?: (key: string, err: unknown) => void;
}

interface Lane<T> {
  running: Promise<void>;
  pending?: { value: T; waiters: (() => void)[] };
}

export class Coalescer<T> {
  private readonly lanes = new Map<string, Lane<T>>();
  private stopped = false;
  private readonly merge: (pending: T, next: T) => T;

  constructor(
    private readonly run: RunFn<T>,
    private readonly options: CoalescerOptions<T> = {},
  ) {
    this.merge = options.merge ?? ((_p, next) => next);
  }

  /**
   * Ask for a run. Resolves when a run that started after this request has finished (at once, and
   * without running, once `stop` was called). Returns whether the request started a run now,
   * joined the pending one, or was dropped.
   */
  request(
    key: string,
    value: T,
  ): { state: 'started' | 'queued' | 'merged' | 'dropped'; done: Promise<void> } {
    if (this.stopped) return { state: 'dropped', done: Promise.resolve() };
    const lane = this.lanes.get(key);
    if (!lane) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      this.start(key, value, [resolve]);
      return { state: 'started', done };
    }
    const done = new Promise<void>((resolve) => {
      if (lane.pending) {
        lane.pending.value = this.merge(lane.pending.value, value);
        lane.pending.waiters.push(resolve);
      } else {
        lane.pending = { value, waiters: [resolve] };
      }
    });
    return { state: lane.pending && lane.pending.waiters.length > 1 ? 'merged' : 'queued', done };
  }

  /** Whether a run is going for `key` (or for any key). */
  busy(key?: string): boolean {
    return key === undefined ? this.lanes.size > 0 : this.lanes.has(key);
  }

  /** Resolves when no run is going and none is pending. */
  async idle(): Promise<void> {
    while (this.lanes.size > 0) await Promise.all([...this.lanes.values()].map((l) => l.running));
  }

  /** Refuse new requests, drop pending runs, and wait for the running ones to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) {
      for (const w of lane.pending?.waiters ?? []) w();
      lane.pending = undefined;
    }
    await this.idle();
  }

  private start(key: string, value: T, waiters: (() => void)[]): void {
    const running = Promise.resolve()
      .then(() => this.run(key, value))
      .catch((err: unknown) => this.options.onError?.(key, err))
      .finally(() => {
        for (const w of waiters) w();
        const lane = this.lanes.get(key);
        const next = lane?.pending;
        if (next && !this.stopped) this.start(key, next.value, next.waiters);
        else this.lanes.delete(key);
      });
    const lane = this.lanes.get(key);
    if (lane) {
      lane.running = running;
      lane.pending = undefined;
    } else {
      this.lanes.set(key, { running });
    }
  }
}

/** Run functions one at a time, in call order (the cache checkout is shared by every job). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(fn: () => Promise<R>): Promise<R> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
