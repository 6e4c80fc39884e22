/**
 * Loose objects (`objects/xx/yyyy…`: a zlib stream of "<type> <size>\0<data>"), read without
 * inflating more than their header and the caller's limit (see object-store.ts). Split from the
 * store, which finds objects and reads packs.
 */
import * as buffer from 'node:buffer';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { type GitObject, type ObjectInfo, ObjectTooLargeError, type ObjectType } from './types.js';

/** Loose objects this small (compressed) are read in one go and inflated once. */
const SMALL_LOOSE = 64 * 1024;
/** Where small loose objects are read: every read is synchronous and inflated before the next. */
let looseScratch: Buffer | undefined;
/** First guess of a loose object's inflated size, from its compressed size (YAML inflates ~3x). */
const INFLATE_GUESS = 4;
/** "commit 123456789012345\0": a header is never longer. */
const MAX_HEADER = 32;

/**
 * A loose object, never inflating more than its header and `maxBytes`. A small one (most config
 * files, every tree of a config repo) is read whole and inflated once with its output capped
 * there: its header is checked after, and an object over the cap is refused for the size its
 * header declares. A larger one has its header read first, as `info` does.
 */
export function readLoose(file: string, oid: string, maxBytes: number): GitObject {
  const compressed = readSmall(file);
  if (compressed) {
    let raw: Buffer | undefined;
    const maxOutputLength = Math.min(
      MAX_HEADER + Math.max(Math.floor(maxBytes), 1),
      buffer.constants.MAX_LENGTH,
    );
    try {
      raw = zlib.inflateSync(compressed, {
        maxOutputLength,
        // An output buffer near the object's size, not zlib's 16 KiB (more chunks if it is short).
        chunkSize: Math.max(
          Math.min(compressed.length * INFLATE_GUESS, maxOutputLength + 1),
          zlib.constants.Z_MIN_CHUNK,
        ),
      });
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') throw err;
    }
    if (raw) {
      const { info, headerLength } = parseHeader(raw, file);
      if (info.size > maxBytes) throw new ObjectTooLargeError(oid, info.size, maxBytes);
      if (raw.length !== headerLength + info.size) throw new Error(`loose object ${oid} is corrupt`);
      return { type: info.type, data: raw.subarray(headerLength) };
    }
  }
  const { info, headerLength } = looseHeader(file);
  if (info.size > maxBytes) throw new ObjectTooLargeError(oid, info.size, maxBytes);
  const raw = zlib.inflateSync(compressed ?? fs.readFileSync(file), {
    maxOutputLength: headerLength + Math.max(info.size, 1),
    chunkSize: Math.max(headerLength + info.size + 1, zlib.constants.Z_MIN_CHUNK),
  });
  if (raw.length !== headerLength + info.size) throw new Error(`loose object ${oid} is corrupt`);
  return { type: info.type, data: raw.subarray(headerLength) };
}

/**
 * The whole file when it is at most `SMALL_LOOSE` bytes, else undefined (nothing read). The bytes
 * are in a buffer the next read reuses: inflate them before reading another object.
 */
function readSmall(file: string): Buffer | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > SMALL_LOOSE) return undefined;
    looseScratch ??= Buffer.allocUnsafeSlow(SMALL_LOOSE);
    const buf = looseScratch;
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, buf, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return buf.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}

function parseHeader(head: Buffer, file: string): { info: ObjectInfo; headerLength: number } {
  const nul = head.indexOf(0);
  const m =
    nul === -1 || nul > MAX_HEADER
      ? null
      : /^(commit|tree|blob|tag) (\d{1,15})$/.exec(head.subarray(0, nul).toString('latin1'));
  if (!m) throw new Error(`loose object ${file} has no valid header`);
  return { info: { type: m[1] as ObjectType, size: Number(m[2]) }, headerLength: nul + 1 };
}

/** A loose object's type and size from its first bytes; the header is at most ~32 bytes. */
export function looseHeader(file: string): { info: ObjectInfo; headerLength: number } {
  const fd = fs.openSync(file, 'r');
  try {
    for (let want = 64; ; want *= 4) {
      const buf = Buffer.allocUnsafe(want);
      const n = fs.readSync(fd, buf, 0, want, 0);
      const head = zlib.inflateSync(buf.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      const nul = head.indexOf(0);
      if (nul !== -1 || n < want || want >= 4096) {
        const m =
          nul === -1
            ? null
            : /^(commit|tree|blob|tag) (\d{1,15})$/.exec(head.subarray(0, nul).toString('latin1'));
        if (!m) throw new Error(`loose object ${file} has no valid header`);
        return { info: { type: m[1] as ObjectType, size: Number(m[2]) }, headerLength: nul + 1 };
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
