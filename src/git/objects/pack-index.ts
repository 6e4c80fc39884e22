/**
 * A pack's `.idx` (version 2): a fan-out table, the sorted object ids, CRCs, 31-bit offsets and
 * 64-bit offsets for big packs. Lookups are a binary search within the id's fan-out bucket; the
 * entry's end in the pack is the next entry's start (offsets sorted once, on first use).
 */
import * as fs from 'node:fs';

const MAGIC = 0xff744f63; // "\377tOc"

export class PackIndex {
  readonly count: number;
  private readonly buf: Buffer;
  private readonly idsAt = 8 + 256 * 4;
  private readonly offsetsAt: number;
  private readonly largeAt: number;
  private sortedOffsets?: Float64Array;

  constructor(
    readonly file: string,
    /** Size of the pack the index describes, to bound its last entry. */
    readonly packSize: number,
  ) {
    this.buf = fs.readFileSync(file);
    if (this.buf.length < 8 + 256 * 4 || this.buf.readUInt32BE(0) !== MAGIC || this.buf.readUInt32BE(4) !== 2)
      throw new Error(`${file}: not a version 2 pack index`);
    this.count = this.buf.readUInt32BE(8 + 255 * 4);
    this.offsetsAt = this.idsAt + this.count * 20 + this.count * 4;
    this.largeAt = this.offsetsAt + this.count * 4;
    if (this.buf.length < this.largeAt + 40) throw new Error(`${file}: truncated pack index`);
  }

  /** The entry's offset in the pack, or undefined when the pack does not hold `oid`. */
  find(oid: Buffer): number | undefined {
    const first = oid[0]!;
    let lo = first === 0 ? 0 : this.buf.readUInt32BE(8 + (first - 1) * 4);
    let hi = this.buf.readUInt32BE(8 + first * 4);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = oid.compare(this.buf, this.idsAt + mid * 20, this.idsAt + mid * 20 + 20, 0, 20);
      if (cmp === 0) return this.offsetOf(mid);
      if (cmp < 0) hi = mid;
      else lo = mid + 1;
    }
    return undefined;
  }

  /** Where the entry starting at `offset` ends: the next entry's start, or the pack's trailer. */
  endOf(offset: number): number {
    if (!this.sortedOffsets) {
      const all = new Float64Array(this.count);
      for (let i = 0; i < this.count; i++) all[i] = this.offsetOf(i);
      this.sortedOffsets = all.sort();
    }
    const sorted = this.sortedOffsets;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length ? sorted[lo]! : this.packSize - 20;
  }

  private offsetOf(i: number): number {
    const small = this.buf.readUInt32BE(this.offsetsAt + i * 4);
    if ((small & 0x80000000) === 0) return small;
    return Number(this.buf.readBigUInt64BE(this.largeAt + (small & 0x7fffffff) * 8));
  }
}
