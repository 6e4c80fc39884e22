/**
 * Recompute the fleet aggregates a few seconds after reports arrive (debounced: a burst of
 * check-ins is one computation) and hand them to the commit callback only when some aggregate's
 * text changed since the last successful commit: 1,000 check-ins that change nothing make no
 * commit. A periodic recheck catches what changes without a report (a machine going stale). A
 * failed commit is reported to `onError` and retried with the next computation.
 */
import type { FleetAggregate } from './aggregate.js';
import { renderAggregate } from './render.js';

export interface AggregatorOptions {
  /** The aggregates as of now (aggregateFleet over the hub's machines and rollouts). */
  compute: () => FleetAggregate[];
  /** Record them (commitAggregates in serve's job queue); called only when some text changed. */
  commit: (aggregates: FleetAggregate[]) => Promise<void>;
  /** Every computation's result, changed or not (the fleet gauges of /metrics). */
  onComputed?: (aggregates: FleetAggregate[]) => void;
  onError?: (err: unknown) => void;
  /** Wait after a report before computing (default 5 s). */
  debounceMs?: number;
  /** Recompute this often without reports, for staleness (default 60 s; 0: never). */
  recheckEveryMs?: number;
}

export const DEFAULT_AGGREGATE_DEBOUNCE_MS = 5_000;
export const DEFAULT_AGGREGATE_RECHECK_MS = 60_000;

export class Aggregator {
  private readonly options: AggregatorOptions;
  private timer: NodeJS.Timeout | undefined;
  private readonly recheck: NodeJS.Timeout | undefined;
  /** `env/target` → the text last committed. Empty at start: the first computation commits (or finds git equal). */
  private committed = new Map<string, string>();
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: AggregatorOptions) {
    this.options = options;
    const every = options.recheckEveryMs ?? DEFAULT_AGGREGATE_RECHECK_MS;
    if (every > 0) {
      this.recheck = setInterval(() => void this.flush(), every);
      this.recheck.unref();
    }
  }

  /** A machine reported: compute after the debounce (a pending computation is not pushed back). */
  reported(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.debounceMs ?? DEFAULT_AGGREGATE_DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Compute now (after any computation under way); resolves when it and its commit are done. */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.computeAndCommit());
    return this.running;
  }

  /** Resolves once no computation is scheduled or running. */
  async idle(): Promise<void> {
    while (this.timer) await new Promise((r) => setTimeout(r, 5));
    await this.running;
  }

  /** Stop the timers; a scheduled computation runs now. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.recheck) clearInterval(this.recheck);
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.flush();
    }
    await this.running;
  }

  private async computeAndCommit(): Promise<void> {
    try {
      const aggregates = this.options.compute();
      this.options.onComputed?.(aggregates);
      const texts = new Map(aggregates.map((a) => [`${a.environment}/${a.target}`, renderAggregate(a)]));
      if (sameTexts(texts, this.committed)) return;
      await this.options.commit(aggregates);
      this.committed = texts;
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}

function sameTexts(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
