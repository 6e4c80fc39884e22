/**
 * The nonces of recently accepted signed requests, so a captured request cannot be replayed while
 * its timestamp is still acceptable. Memory is bounded twice: a nonce older than the clock-skew
 * window is forgotten (its request would be refused for its timestamp anyway), and past `max`
 * entries the oldest go first. Only requests whose signature verified are remembered, so strangers
 * cannot fill it.
 */
export class NonceCache {
  /** key → the request's timestamp; insertion order is arrival order. */
  readonly #seen = new Map<string, number>();
  readonly #windowMs: number;
  readonly #max: number;

  constructor(windowMs: number, max = 100_000) {
    this.#windowMs = windowMs;
    this.#max = max;
  }

  get size(): number {
    return this.#seen.size;
  }

  /**
   * Record `nonce` of `machineId` with its request timestamp; false when it was seen already.
   * A request older than the window is refused before it gets here.
   */
  remember(machineId: string, nonce: string, timestamp: number, now: number): boolean {
    this.#prune(now);
    const key = `${machineId} ${nonce}`;
    if (this.#seen.has(key)) return false;
    while (this.#seen.size >= this.#max) this.#seen.delete(this.#seen.keys().next().value as string);
    this.#seen.set(key, timestamp);
    return true;
  }

  #prune(now: number): void {
    // Arrival order is close to timestamp order; stop at the first entry still inside the window.
    for (const [key, at] of this.#seen) {
      if (at >= now - this.#windowMs) break;
      this.#seen.delete(key);
    }
  }
}
