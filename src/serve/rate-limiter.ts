/**
 * A token bucket per client address (webhook requests per second, with a burst), in a map of
 * bounded size: past `maxSources` the least recently seen address is forgotten, so a flood from
 * many addresses costs a fixed amount of memory. A forgotten address starts again with a full
 * bucket, which is what it would have after a quiet spell anyway.
 */
import { performance } from 'node:perf_hooks';

export interface RateLimiterOptions {
  /** Tokens added per second; 0: no limit (every request passes). */
  perSecond: number;
  /** Bucket size: requests an address may send at once. */
  burst: number;
  /** Addresses remembered at most. */
  maxSources: number;
  /** Milliseconds, monotonic (tests pass a fake clock). */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: RateLimiterOptions;
  readonly #now: () => number;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Addresses currently remembered. */
  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Take a token for `key`: 0 when there was one, else the whole seconds until there will be one
   * (at least 1: the `Retry-After` to answer).
   */
  take(key: string): number {
    const { perSecond, burst, maxSources } = this.#options;
    if (perSecond <= 0) return 0;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket) {
      // Re-inserted below, so the map's order stays least recently seen first.
      this.#buckets.delete(key);
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
    } else {
      bucket = { tokens: burst, at: now };
      while (this.#buckets.size >= Math.max(1, maxSources)) {
        const oldest = this.#buckets.keys().next().value as string;
        this.#buckets.delete(oldest);
      }
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}
