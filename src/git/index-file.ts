/**
 * Pure: the entries of git's index file (`.git/index`, versions 2, 3 and 4) that can vouch for a
 * working-tree file without reading it, as git itself does: the stat data git recorded when it
 * last saw the file, and the blob id of its content then. Only what that check needs is kept.
 *
 * The file is untrusted input: every read is bounds-checked, and anything this parser does not
 * fully understand (another version, a truncated entry, a SHA-256 repository's longer ids, a path
 * past the end) makes the whole index unusable (undefined): the caller then reads the files. An
 * entry that git itself would not trust by stat (a merge stage, skip-worktree or
 * intent-to-add flags) is left out.
 */

export interface IndexEntry {
  ctimeSec: number;
  ctimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ino: number;
  uid: number;
  gid: number;
  /** The file's size, truncated to 32 bits as git stores it. */
  size: number;
  /** Lowercase hex SHA-1 of the blob. */
  oid: string;
}

import { createHash } from 'node:crypto';

const HEADER = 12;
const CHECKSUM = 20;
const FIXED = 62; // stat fields (40) + oid (20) + flags (2)
const EXTENDED = 0x4000;
const STAGE = 0x3000;

/**
 * The usable entries by path, or undefined when the index is not one this parser reads in full.
 * Its trailing SHA-1 must match: a torn write or a SHA-256 repository's index is not read.
 */
export function parseGitIndex(file: Uint8Array): Map<string, IndexEntry> | undefined {
  if (file.length < HEADER + CHECKSUM) return undefined;
  const buf = file.subarray(0, file.length - CHECKSUM);
  const sum = createHash('sha1').update(buf).digest();
  if (!sum.equals(file.subarray(file.length - CHECKSUM))) return undefined;
  if (String.fromCharCode(buf[0]!, buf[1]!, buf[2]!, buf[3]!) !== 'DIRC') return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = view.getUint32(4);
  if (version < 2 || version > 4) return undefined;
  const count = view.getUint32(8);
  const entries = new Map<string, IndexEntry>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = HEADER;
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < count; i++) {
    const start = at;
    if (at + FIXED > buf.length) return undefined;
    const flags = view.getUint16(at + 60);
    at += FIXED;
    let extended = 0;
    if (flags & EXTENDED) {
      if (version < 3 || at + 2 > buf.length) return undefined;
      extended = view.getUint16(at);
      at += 2;
    }
    let name: Uint8Array;
    if (version === 4) {
      const strip = readVarint(buf, at);
      if (!strip || strip.value > previous.length) return undefined;
      at = strip.next;
      const end = buf.indexOf(0, at);
      if (end < 0) return undefined;
      const suffix = buf.subarray(at, end);
      name = new Uint8Array(previous.length - strip.value + suffix.length);
      name.set(previous.subarray(0, previous.length - strip.value));
      name.set(suffix, previous.length - strip.value);
      at = end + 1;
    } else {
      const end = buf.indexOf(0, at);
      if (end < 0) return undefined;
      name = buf.subarray(at, end);
      // 1 to 8 NULs pad the entry to a multiple of 8 bytes.
      at = start + ((end - start + 8) & ~7);
      if (at > buf.length) return undefined;
    }
    previous = name;
    let path: string;
    try {
      path = decoder.decode(name);
    } catch {
      continue;
    }
    if ((flags & STAGE) !== 0 || extended !== 0) {
      entries.delete(path);
      continue;
    }
    entries.set(path, {
      ctimeSec: view.getUint32(start),
      ctimeNsec: view.getUint32(start + 4),
      mtimeSec: view.getUint32(start + 8),
      mtimeNsec: view.getUint32(start + 12),
      ino: view.getUint32(start + 20),
      uid: view.getUint32(start + 28),
      gid: view.getUint32(start + 32),
      size: view.getUint32(start + 36),
      oid: Buffer.from(buf.buffer, buf.byteOffset + start + 40, 20).toString('hex'),
    });
  }
  return splitIndex(buf, at) ? undefined : entries;
}

/** Whether the extensions after the entries include `link`: the entries are then only part of the index. */
function splitIndex(buf: Uint8Array, from: number): boolean {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = from;
  while (at + 8 <= buf.length) {
    if (String.fromCharCode(buf[at]!, buf[at + 1]!, buf[at + 2]!, buf[at + 3]!) === 'link') return true;
    at += 8 + view.getUint32(at + 4);
  }
  return false;
}

/** Git's offset varint (index v4 path prefixes): 7 bits a byte, each continuation adding one. */
function readVarint(buf: Uint8Array, at: number): { value: number; next: number } | undefined {
  let pos = at;
  if (pos >= buf.length) return undefined;
  let c = buf[pos++]!;
  let value = c & 127;
  while (c & 128) {
    if (pos >= buf.length || value > 0xffffff) return undefined;
    c = buf[pos++]!;
    value = ((value + 1) << 7) | (c & 127);
  }
  return { value, next: pos };
}
