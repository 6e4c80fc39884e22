/**
 * How many webhook bodies, and how many bytes of them, `serve` holds at once. A request reserves
 * its declared size before a byte of it is read; when the reservation does not fit it is answered
 * 503 unread, so the memory spent on bodies never passes the cap whatever arrives.
 */
export class BodyBudget {
  #bodies = 0;
  #bytes = 0;

  constructor(
    readonly maxBodies: number,
    readonly maxBytes: number,
  ) {}

  get bodies(): number {
    return this.#bodies;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Reserve room for one body of up to `bytes`; the returned release may be called any number of times. */
  reserve(bytes: number): (() => void) | undefined {
    if (this.#bodies + 1 > this.maxBodies || this.#bytes + bytes > this.maxBytes) return undefined;
    this.#bodies += 1;
    this.#bytes += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#bodies -= 1;
      this.#bytes -= bytes;
    };
  }
}
