/**
 * Git's delta format: the base size and the result size as little-endian base-128 varints, then
 * instructions: copy (high bit set; which offset and size bytes follow is given by the low bits)
 * or insert (the next 1-127 bytes literally). Pure; every bound is checked.
 */

/** Reads a delta header varint at `pos`; returns the value and the position after it. */
export function readDeltaVarint(data: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= data.length) throw new Error('delta header is truncated');
    const byte = data[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [value, pos];
    if (shift > 49) throw new Error('delta header varint is too long');
  }
}

/** Sizes declared by a delta's header: `[baseSize, resultSize]`. */
export function deltaSizes(delta: Uint8Array): [number, number] {
  const [base, pos] = readDeltaVarint(delta, 0);
  const [result] = readDeltaVarint(delta, pos);
  return [base, result];
}

export function applyDelta(base: Uint8Array, delta: Uint8Array): Buffer {
  let [baseSize, pos] = readDeltaVarint(delta, 0);
  let resultSize: number;
  [resultSize, pos] = readDeltaVarint(delta, pos);
  if (baseSize !== base.length)
    throw new Error(`delta expects a base of ${baseSize} bytes, got ${base.length}`);
  const out = Buffer.allocUnsafe(resultSize);
  let written = 0;
  while (pos < delta.length) {
    const op = delta[pos++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[pos++]! * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[pos++]! * 2 ** (8 * i);
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || written + size > resultSize)
        throw new Error('delta copy out of bounds');
      out.set(base.subarray(offset, offset + size), written);
      written += size;
    } else if (op > 0) {
      if (pos + op > delta.length || written + op > resultSize) throw new Error('delta insert out of bounds');
      out.set(delta.subarray(pos, pos + op), written);
      written += op;
      pos += op;
    } else {
      throw new Error('delta has a reserved instruction (0)');
    }
  }
  if (written !== resultSize) throw new Error(`delta produced ${written} bytes, declared ${resultSize}`);
  return out;
}
